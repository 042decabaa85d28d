"""Entry point of the rendering worker process (see worker.py); not imported by the package."""

from portal.documents.worker import serve

if __name__ == "__main__":
    serve()
