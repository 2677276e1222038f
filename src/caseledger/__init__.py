"""Caseledger: evidence-grade case recording for children's services in England."""
