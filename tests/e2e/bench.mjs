// The desktop app measured, not tested: time from launch to the unlock screen and resident memory
// idle after unlock, each beside a bare WebKit window (WebKitGTK's MiniBrowser showing a one-field
// page) started the same way in the same run. Run by `bash scripts/bench`, which builds the app and
// the CLI first; nothing here is asserted as a test.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { remote } from 'webdriverio';
import { byTest, freePort, freshHome, launch, root, waitForPort } from './harness.mjs';

const PASSPHRASE = 'sauna lake birch midnight coffee';
const CASES = Number(process.env.SILTA_BENCH_APP_CASES ?? 1000);
const SILTA = process.env.SILTA_CLI ?? join(root, 'target/release/silta');
const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const ROUNDS = 3;
const IDLE_MS = 5000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** pid → parent pid and executable name, for every process we may read. */
function processTable() {
  const table = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // The name in /proc/PID/stat is in parentheses and may hold spaces: split after it.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      let exe = '';
      try {
        exe = basename(readlinkSync(`/proc/${name}/exe`));
      } catch {
        // A process of another user or one that just ended.
      }
      table.set(Number(name), { ppid, exe });
    } catch {
      // Ended while we looked.
    }
  }
  return table;
}

/** Resident and proportional memory, in MiB, of every process running `exe` and its descendants. */
function memoryOf(exe) {
  const table = processTable();
  const tops = [...table].filter(([, p]) => p.exe === exe).map(([pid]) => pid);
  const all = new Set(tops);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, p] of table) {
      if (!all.has(pid) && all.has(p.ppid)) {
        all.add(pid);
        grew = true;
      }
    }
  }
  let rss = 0;
  let pss = 0;
  for (const pid of all) {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      rss += Number(/^Rss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
      pss += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
    } catch {
      // Ended while we looked.
    }
  }
  return { processes: all.size, rss: rss / 1024, pss: pss / 1024 };
}

function median(xs) {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

function report(what, ours, baselineName, baseline, unit) {
  const f = (x) => x.toFixed(unit === 'ms' ? 0 : 1).padStart(9);
  console.log(
    `${what.padEnd(44)} ${f(ours)} ${unit}   ${baselineName.padEnd(36)} ${f(baseline)} ${unit}   ratio ${(ours / baseline).toFixed(2).padStart(6)}`,
  );
}

/** A home with a vault of CASES demo cases, made with the real CLI and the default key derivation. */
function homeWithVault() {
  const home = freshHome();
  const dir = join(home, 'data', 'fi.silta.app.test');
  mkdirSync(dir, { recursive: true });
  const env = { ...process.env, SILTA_VAULT: join(dir, 'vault.silta'), SILTA_PASSPHRASE: PASSPHRASE, SILTA_NEW_PASSPHRASE: PASSPHRASE };
  execFileSync(SILTA, ['vault', 'init', '--user', 'Kaisa', '--org', 'Bench', '--retention-years', '5'], { env, stdio: 'ignore' });
  if (CASES > 0) execFileSync(SILTA, ['demo', '--cases', String(CASES)], { env, stdio: 'ignore' });
  return home;
}

async function silta(home) {
  const app = await launch(home);
  try {
    const { browser } = app;
    await (await browser.$(byTest('passphrase'))).waitForDisplayed({ timeout: 60_000 });
    const toUnlockScreen = performance.now() - app.driverReady;
    await (await browser.$(byTest('passphrase'))).setValue(PASSPHRASE);
    const unlockStarted = performance.now();
    await (await browser.$(byTest('unlock'))).click();
    await (await browser.$(byTest('new-case'))).waitForDisplayed({ timeout: 60_000 });
    const unlock = performance.now() - unlockStarted;
    await sleep(IDLE_MS);
    return { toUnlockScreen, unlock, memory: memoryOf('silta-app') };
  } finally {
    await app.close();
  }
}

async function bareWebKit(page) {
  const port = await freePort();
  const driver = spawn('WebKitWebDriver', [`--port=${port}`], { detached: true, stdio: 'ignore' });
  try {
    await waitForPort(port, 20_000);
    const started = performance.now();
    const browser = await remote({
      hostname: '127.0.0.1',
      port,
      logLevel: 'warn',
      capabilities: {
        'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
      },
    });
    try {
      await browser.url(`file://${page}`);
      await (await browser.$('#passphrase')).waitForDisplayed({ timeout: 60_000 });
      const toPage = performance.now() - started;
      await sleep(IDLE_MS);
      return { toPage, memory: memoryOf('MiniBrowser') };
    } finally {
      await browser.deleteSession();
    }
  } finally {
    try {
      process.kill(-driver.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

const page = join(freshHome(), 'bare.html');
writeFileSync(page, '<!doctype html><meta charset="utf-8"><title>bare</title><input id="passphrase" type="password">');
const home = homeWithVault();
const ours = [];
const bare = [];
for (let i = 0; i < ROUNDS; i++) {
  ours.push(await silta(home));
  bare.push(await bareWebKit(page));
}
const last = ours.at(-1).memory;
const floor = bare.at(-1).memory;
console.log(`the desktop app (${ROUNDS} launches each, median; memory after ${IDLE_MS / 1000} s idle, app and its WebKit processes summed)\n`);
report('launch to the unlock screen', median(ours.map((r) => r.toUnlockScreen)), 'bare WebKit window to a page', median(bare.map((r) => r.toPage)), 'ms');
console.log(`unlock with Argon2id and ${CASES} cases indexed: ${median(ours.map((r) => r.unlock)).toFixed(0)} ms`);
report(`resident memory idle after unlock (${last.processes} proc.)`, last.rss, `bare WebKit window (${floor.processes} proc.)`, floor.rss, 'MiB');
report('proportional memory (PSS) idle after unlock', last.pss, 'bare WebKit window', floor.pss, 'MiB');
