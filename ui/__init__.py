"""ClusterMapper desktop app (PySide6). The core library ``clustermapper`` never imports this package."""
