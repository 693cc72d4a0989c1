"""The web app: FastAPI server, pages, feedback and HTTP benchmark."""
