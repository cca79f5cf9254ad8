"""`python -m tools.robots --transport stdio|http`: the robots server alone, on Ariane's database."""

from tools.robots.standalone import run

if __name__ == "__main__":
    run()
