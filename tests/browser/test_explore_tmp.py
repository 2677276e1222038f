import pytest
pytestmark = pytest.mark.browser

def test_explore(page, live_server_url):
    import time
    t=time.time()
    page.goto("/")
    print(page.url, page.title())
    page.get_by_label("Email address").fill("anil.patel@family.example")
    page.get_by_label("Password").fill("caseledger-demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    print(time.time()-t, page.url, page.title())
    print(page.locator("main").inner_text())
    page.get_by_role("link", name="Aarav Patel").first.click()
    print(page.url); print(page.locator("main").inner_text())
    page.goto("/children/00000000-0000-0000-0000-000000000000/")
    print(page.content()[:3000])
