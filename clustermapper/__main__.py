from clustermapper.cli import run

run()
