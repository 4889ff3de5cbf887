"""`python evals/bench.py` is `assistant bench`: index build, cold start, warm latency, peak memory."""
import sys; from assistant.cli import main; sys.exit(main(["bench", *sys.argv[1:]]))
