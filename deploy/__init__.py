"""The app served to a team: N Streamlit replicas behind nginx, one PostgreSQL (``python -m deploy up``)."""
