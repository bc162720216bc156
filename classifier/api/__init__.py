"""The classifier's API: classify texts (predict) and list the shipped models; mounted by sentisite/api/urls.py."""
