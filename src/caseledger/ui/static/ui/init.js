// Start GOV.UK Frontend components. A module file, not an inline script, so the page's
// Content-Security-Policy needs no 'unsafe-inline'.
import { initAll } from '/assets/govuk/govuk-frontend.min.js'
initAll()
