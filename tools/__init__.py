"""Developer tools, never imported by the running assistant: the benchmark (bench), the
dependency audit (audit), the requirement check of `make install` (check_requirements),
throw-away PostgreSQL and Redis for tests and the benchmark (services), and the set-up shell
scripts (find-python.sh, system-packages.sh)."""
