"""Browser tests: the notebooks and widgets driven in JupyterLab with headless chromium."""
