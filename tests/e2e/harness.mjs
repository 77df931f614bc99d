// Starts the real app through tauri-driver (which drives WebKitWebDriver) with a throwaway home
// folder, so tests never touch a real user's data, and saves screenshots of what they see.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { remote } from 'webdriverio';

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '../..');
export const APP = process.env.SILTA_APP ?? join(root, 'target/debug/silta-app');
export const OUTPUT = process.env.SILTA_E2E_OUTPUT ?? join(here, 'output');

export function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((ok, fail) => {
    const attempt = () => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => {
        socket.end();
        ok();
      });
      socket.on('error', () => {
        if (Date.now() > deadline) fail(new Error(`nothing listening on port ${port}`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

/** A fresh home folder for the app: its vault, WebKit storage and caches all land inside. */
export function freshHome() {
  return mkdtempSync(join(tmpdir(), 'silta-e2e-'));
}

/** A port nobody listens on now, from the operating system: runs never collide. */
export function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

/**
 * Starts tauri-driver and the app with `home` as its home; returns the WebDriver browser and, as
 * `driverReady`, the moment the driver listened (performance.now()), from which the app's own
 * start can be timed.
 */
export async function launch(home) {
  const myPort = await freePort();
  const nativePort = await freePort();
  const env = {
    ...process.env,
    HOME: home,
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_CACHE_HOME: join(home, 'cache'),
    LANG: 'en_GB.UTF-8',
  };
  // Its own process group, so that closing kills the app too even if the WebDriver session did
  // not; and its output goes to a log file, so a straggler cannot hold the test runner's pipes.
  mkdirSync(OUTPUT, { recursive: true });
  const log = openSync(join(OUTPUT, 'tauri-driver.log'), 'a');
  const driver = spawn('tauri-driver', ['--port', String(myPort), '--native-port', String(nativePort)], {
    env,
    detached: true,
    stdio: ['ignore', log, log],
  });
  const exited = new Promise((_, fail) =>
    driver.once('exit', (code) => fail(new Error(`tauri-driver exited early (status ${code})`))),
  );
  // Once running, the driver's exit at close() is expected: only an early exit is an error.
  exited.catch(() => {});
  await Promise.race([waitForPort(myPort, 20_000), exited]);
  const driverReady = performance.now();
  const browser = await remote({
    hostname: '127.0.0.1',
    port: myPort,
    logLevel: 'warn',
    capabilities: { 'tauri:options': { application: APP } },
  });
  return {
    browser,
    driverReady,
    async close() {
      try {
        await browser.deleteSession();
      } finally {
        const gone =
          driver.exitCode !== null || driver.signalCode !== null
            ? Promise.resolve()
            : new Promise((ok) => driver.once('exit', ok));
        try {
          process.kill(-driver.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
        await gone;
        closeSync(log);
      }
    },
  };
}

export async function screenshot(browser, test, name) {
  const dir = join(OUTPUT, test);
  mkdirSync(dir, { recursive: true });
  // WebKit's snapshot is of the last frame painted: without waiting for the next two, a screen
  // just changed (a conflict after a sync, joining undone) was pictured as it was before. At
  // most a second, in case no frame comes.
  await browser.executeAsync((done) => {
    requestAnimationFrame(() => requestAnimationFrame(() => done()));
    setTimeout(done, 1000);
  });
  await browser.saveScreenshot(join(dir, `${name}.png`));
}

/** Every file under `dir` whose bytes contain `needle`. */
export function filesContaining(dir, needle) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isDirectory()) found.push(...filesContaining(path, needle));
    else if (st.isFile() && readFileSync(path).includes(needle)) found.push(path);
  }
  return found;
}

export const byTest = (id) => `[data-testid="${id}"]`;
