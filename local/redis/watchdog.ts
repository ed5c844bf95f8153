/**
 * Runs redis-server under a tiny POSIX sh watchdog so Redis never outlives this Node process.
 *
 * Node cannot set PR_SET_PDEATHSIG on a child, and redis-server has no "exit when stdin closes"
 * option, so the shell does it: it keeps this process's stdin pipe, starts redis-server (stdin
 * /dev/null), and a background subshell blocks reading the pipe. End of file on that pipe means
 * this process closed it or died, however it died (the kernel closes the write end even on
 * SIGKILL); the subshell then sends SIGTERM to Redis, which shuts down cleanly (AOF/RDB flushed).
 * SIGTERM/SIGINT/SIGHUP sent to the shell are passed on to Redis too. The shell reports Redis's pid
 * first ("WATCHDOG_REDIS_PID <pid>") and exits with Redis's status once Redis is gone.
 * The watcher uses the `read` builtin, not `cat`, so killing the subshell leaves no process behind.
 * With `cleanupDir` the shell removes that folder after Redis exits (the scratch folder of a Redis
 * without persistence), which also covers a parent that died without cleaning up.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export const PID_LINE = /^WATCHDOG_REDIS_PID (\d+)$/;

const SCRIPT = `
exec 3<&0 </dev/null
"$@" 3<&- &
rpid=$!
echo "WATCHDOG_REDIS_PID $rpid"
( while read -r _ <&3; do :; done; kill -TERM "$rpid" 2>/dev/null ) &
wpid=$!
exec 3<&-
trap 'kill -TERM "$rpid" 2>/dev/null' TERM INT HUP
wait "$rpid"; status=$?
while kill -0 "$rpid" 2>/dev/null; do wait "$rpid"; status=$?; done
kill "$wpid" 2>/dev/null
if [ -n "$WATCHDOG_CLEANUP_DIR" ]; then rm -rf -- "$WATCHDOG_CLEANUP_DIR"; fi
exit "$status"
`;

/** Spawns `redisBin args...` under the watchdog; the returned child is the shell. */
export function spawnWithWatchdog(
  redisBin: string,
  args: string[],
  cwd: string,
  cleanupDir?: string,
): ChildProcessWithoutNullStreams {
  const child = spawn('/bin/sh', ['-c', SCRIPT, 'redis-watchdog', redisBin, ...args], {
    cwd,
    env: { ...process.env, WATCHDOG_CLEANUP_DIR: cleanupDir ?? '' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.on('error', () => undefined); // EPIPE once the shell is gone
  return child;
}
