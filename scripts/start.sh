#!/bin/sh
# `npm start`: the local cloud's CLI (local/cli.ts), run by Node with tsx's loader, in this very
# process (exec: a terminal's Ctrl-C reaches the CLI itself, which stops everything in order and
# exits 0).
#
# Under jemalloc when the machine has it (Debian's libjemalloc2, installed by the project's setup):
# every Lambda execution environment is a worker thread with its own V8 heap, and glibc's allocator
# keeps most of what an ended environment used, so the process only grows. Measured with eight
# environments of a 1.7 MB bundle started and seven ended: 260 MB resident afterwards with glibc,
# 120 MB with jemalloc returning unused pages after a second. The platform's budget is 1 GB with
# every service warm.
lib=$(ls /usr/lib/*-linux-gnu/libjemalloc.so.2 2>/dev/null | head -n 1)
if [ -n "$lib" ] && [ -z "$LOCAL_CLOUD_NO_JEMALLOC" ]; then
  LD_PRELOAD="$lib${LD_PRELOAD:+:$LD_PRELOAD}"
  MALLOC_CONF="${MALLOC_CONF:-dirty_decay_ms:1000,muzzy_decay_ms:0}"
  export LD_PRELOAD MALLOC_CONF
fi
exec node --import tsx local/cli.ts "$@"
