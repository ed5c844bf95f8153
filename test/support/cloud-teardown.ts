/** Jest global teardown: stops the local cloud that the global setup started, and waits for it. */
export default async function teardown(): Promise<void> {
  const cloud = globalThis.__localCloud;
  if (!cloud) return;
  const { child } = cloud;
  if (child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
  globalThis.__localCloud = undefined;
}
