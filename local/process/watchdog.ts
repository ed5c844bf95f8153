/**
 * Runs a server binary (redis-server today) under a tiny POSIX sh watchdog so it never outlives
 * this Node process.
 *
 * Node cannot set PR_SET_PDEATHSIG on a child, and a server such as redis-server has no "exit when
 * stdin closes" option, so the shell does it: it keeps this process's stdin pipe, starts the
 * server (stdin /dev/null), and a background subshell blocks reading the pipe. End of file on that
 * pipe means this process closed it or died, however it died (the kernel closes the write end even
 * on SIGKILL); the subshell then sends SIGTERM to the server, which shuts down cleanly.
 * SIGTERM/SIGINT/SIGHUP sent to the shell are passed on to the server too. The shell reports the
 * server's pid first ("WATCHDOG_CHILD_PID <pid>") and exits with its status once it is gone.
 * The watcher uses the `read` builtin, not `cat`, so killing the subshell leaves no process behind.
 * With `cleanupDir` the shell removes that folder after the server exits (a scratch folder), which
 * also covers a parent that died without cleaning up.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export const PID_LINE = /^WATCHDOG_CHILD_PID (\d+)$/;

const SCRIPT = `
exec 3<&0 </dev/null
"$@" 3<&- &
rpid=$!
echo "WATCHDOG_CHILD_PID $rpid"
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

/** Spawns `bin args...` under the watchdog; the returned child is the shell (its $0 is `name`). */
export function spawnWithWatchdog(
  bin: string,
  args: string[],
  options: { cwd: string; name: string; cleanupDir?: string },
): ChildProcessWithoutNullStreams {
  const { cwd, name, cleanupDir } = options;
  const child = spawn('/bin/sh', ['-c', SCRIPT, name, bin, ...args], {
    cwd,
    env: { ...process.env, WATCHDOG_CLEANUP_DIR: cleanupDir ?? '' },
    stdio: ['pipe', 'pipe', 'pipe'],
    // Its own process group: a Ctrl-C in the terminal reaches only this process, which stops the
    // services in order (functions and pollers before the stores they use). The stdin pipe still
    // ends the child when this process dies, however it dies.
    detached: true,
  });
  child.stdin.on('error', () => undefined); // EPIPE once the shell is gone
  return child;
}
