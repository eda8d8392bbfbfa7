"""The pure rules of cocooning: plain data and an explicit instant in, plain data out.

No settings loader, database, file, clock, web or command line here (a test enforces it).
"""
