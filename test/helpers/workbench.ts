// Drives the VS Code workbench that code-server serves, through Playwright and Debian's Chromium.
// Every wait polls for a state of the page; none sleeps for a fixed time.
import { createRequire } from 'node:module';
import type { E2eInstall } from './code-server';

/** The part of Playwright's API used here (playwright-core lives in the e2e cache, not in node_modules). */
export interface Page {
  goto(url: string, options?: { timeout?: number }): Promise<unknown>;
  waitForSelector(selector: string, options?: { timeout?: number; state?: 'attached' | 'detached' | 'visible' | 'hidden' }): Promise<unknown>;
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  evaluate<R>(expression: string): Promise<R>;
  click(selector: string, options?: { timeout?: number }): Promise<void>;
  keyboard: { press(key: string): Promise<void>; type(text: string, options?: { delay?: number }): Promise<void> };
  screenshot(options: { path: string }): Promise<unknown>;
}
interface Browser {
  newPage(options: { viewport: { width: number; height: number }; deviceScaleFactor?: number }): Promise<Page>;
  close(): Promise<void>;
}
interface Playwright {
  chromium: { launch(options: { executablePath: string; args: string[] }): Promise<Browser> };
}

// Functions passed to page.evaluate run in the browser. The project has no DOM types: the little
// they use is declared here.
interface PageElement {
  textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  parentElement: PageElement | null;
  style: { top: string };
}
declare const document: PageElement & { getElementById(id: string): PageElement | null };

export interface Problems {
  errors: number;
  warnings: number;
  infos: number;
}

/** Reads the status bar's problems counter ("Errors: 1, Warnings: 2"; "No Problems"). */
export function parseProblems(label: string): Problems {
  const n = (what: string) => Number(new RegExp(`${what}: (\\d+)`).exec(label)?.[1] ?? 0);
  return { errors: n('Errors'), warnings: n('Warnings'), infos: n('Infos') };
}

export const total = (p: Problems): number => p.errors + p.warnings + p.infos;

export class Workbench {
  private constructor(
    readonly page: Page,
    private readonly browser: Browser,
  ) {}

  static async open(install: E2eInstall, url: string): Promise<Workbench> {
    const { chromium } = createRequire(__filename)(install.playwright) as Playwright;
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
      await page.goto(url, { timeout: 60_000 });
      await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
      await page.waitForSelector('[id="status.problems"]', { timeout: 60_000 });
      return new Workbench(page, browser);
    } catch (err) {
      await browser.close();
      throw err;
    }
  }

  close(): Promise<void> {
    return this.browser.close();
  }

  /** Polls `probe` until it returns something other than undefined/false. */
  async until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
      try {
        const v = await probe();
        if (v !== undefined && v !== false) return v;
        last = v;
      } catch (err) {
        last = err;
      }
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${String(last)})`);
      await new Promise((ok) => setTimeout(ok, 50));
    }
  }

  async problems(): Promise<Problems> {
    return parseProblems(await this.page.evaluate(() => document.getElementById('status.problems')?.getAttribute('aria-label') ?? '', undefined));
  }

  /**
   * Records every state of the status bar's problems counter from now on: a MutationObserver sees
   * each change, a 5 ms poll backs it up. A string, not a function: the test's TypeScript
   * transform would add helpers the page does not have.
   */
  async recordProblems(): Promise<() => Promise<Problems[]>> {
    await this.page.evaluate<void>(`(() => {
      const seen = [];
      const el = document.getElementById('status.problems');
      const record = () => {
        const label = el.getAttribute('aria-label') || '';
        if (seen[seen.length - 1] !== label) seen.push(label);
      };
      record();
      const observer = new MutationObserver(record);
      observer.observe(el, { attributes: true, subtree: true, childList: true, characterData: true });
      const timer = setInterval(record, 5);
      window.__hatopoStopRecording = () => { observer.disconnect(); clearInterval(timer); return seen; };
    })()`);
    return async () => (await this.page.evaluate<string[]>('window.__hatopoStopRecording()')).map(parseProblems);
  }

  /** Runs a command from the command palette by its full title ("HA Topology: Restart Language Server"). */
  async runCommand(title: string): Promise<void> {
    await this.quickInput('>' + title, title);
  }

  /** Opens a workspace file with Quick Open and waits until its editor has focus. */
  async openFile(name: string): Promise<void> {
    await this.quickInput(name, name);
    await this.page.waitForSelector(`.tab.active[data-resource-name="${name}"]`, { timeout: 15_000 });
    await this.page.waitForSelector('.editor-instance .monaco-editor.focused', { timeout: 15_000 });
  }

  /** Sets the log level of an output channel (Developer: Set Log Level...): Trace shows the LSP messages. */
  async setLogLevel(channel: string, level: 'Trace' | 'Debug' | 'Info'): Promise<void> {
    await this.page.keyboard.press('F1');
    await this.pick('>Developer: Set Log Level...', 'Developer: Set Log Level...', false);
    await this.pick(channel, channel, false);
    await this.pick(level, level);
  }

  private async quickInput(text: string, rowLabel: string): Promise<void> {
    await this.page.keyboard.press('F1');
    await this.pick(text, rowLabel);
  }

  /** Types into the open quick input (replacing its text), waits for `rowLabel` to be the focused row, accepts it. */
  private async pick(text: string, rowLabel: string, closes = true): Promise<void> {
    await this.page.waitForSelector('.quick-input-widget .quick-input-box input', { state: 'visible', timeout: 15_000 });
    // F1 opens with the '>' of commands; Quick Open is the same box without it.
    await this.page.keyboard.press('Control+A');
    await this.page.keyboard.type(text);
    await this.until(`"${rowLabel}" in the quick input`, () =>
      this.page.evaluate((label) => {
        const row = document.querySelector('.quick-input-widget .monaco-list-row.focused');
        return row?.getAttribute('aria-label')?.includes(label) ?? false;
      }, rowLabel),
    );
    await this.page.keyboard.press('Enter');
    if (closes) await this.page.waitForSelector('.quick-input-widget', { state: 'hidden', timeout: 15_000 });
  }

  /** The Problems panel: file name → check ids of its problems, in panel order. */
  async problemCodes(): Promise<Record<string, string[]>> {
    return this.page.evaluate(() => {
      const out: Record<string, string[]> = {};
      let file = '';
      for (const row of Array.from(document.querySelectorAll('.markers-panel .monaco-list-row'))) {
        const name = row.querySelector('.label-name')?.textContent;
        if (name) out[(file = name)] = [];
        else out[file]?.push(row.querySelector('.marker-code')?.textContent ?? '');
      }
      return out;
    }, undefined);
  }

  /** The rows of the Problems panel as shown: a file's row, then its problems' rows (message, code, place). */
  async problemRows(): Promise<string[]> {
    return this.page.evaluate(() => Array.from(document.querySelectorAll('.markers-panel .monaco-list-row')).map((e) => e.textContent ?? ''), undefined);
  }

  /** The labels of the suggestions the editor's completion widget shows. */
  async suggestions(): Promise<string[]> {
    return this.page.evaluate(() => Array.from(document.querySelectorAll('.suggest-widget .monaco-list-row')).map((e) => e.textContent ?? ''), undefined);
  }

  /** The rows of the Outline view as shown: name and detail run together ("orders10.40.0.11:6379 quorum 2"). */
  async outlineRows(): Promise<string[]> {
    return this.page.evaluate(() => Array.from(document.querySelectorAll('.outline-pane .monaco-list-row')).map((e) => e.textContent ?? ''), undefined);
  }

  async statusBarText(): Promise<string> {
    return this.page.evaluate(() => document.getElementById('workbench.parts.statusbar')?.textContent ?? '', undefined);
  }

  /** The cursor as the status bar shows it ("Ln 4, Col 5"), 1-based. */
  async cursor(): Promise<{ line: number; column: number }> {
    const text = await this.page.evaluate(() => document.getElementById('status.editor.selection')?.textContent ?? '', undefined);
    const m = /Ln (\d+), Col (\d+)/.exec(text);
    if (!m) throw new Error(`no cursor position in the status bar: "${text}"`);
    return { line: Number(m[1]), column: Number(m[2]) };
  }

  /** The text of one line of the active editor, as the editor renders it. */
  async lineText(line: number): Promise<string | undefined> {
    return this.page.evaluate((n) => {
      const editor = document.querySelector('.editor-instance .monaco-editor');
      const rows = Array.from(editor?.querySelectorAll('.view-lines .view-line') ?? []);
      const numbers = Array.from(editor?.querySelectorAll('.line-numbers') ?? []);
      const top = numbers.find((e) => e.textContent?.trim() === String(n))?.parentElement?.style.top;
      const row = rows.find((r) => r.style.top === top);
      return row?.textContent?.replace(/\u00a0/g, ' ');
    }, line);
  }

  async goToLine(line: number): Promise<void> {
    await this.page.keyboard.press('Control+G');
    await this.page.waitForSelector('.quick-input-widget .quick-input-box input', { state: 'visible', timeout: 15_000 });
    await this.page.keyboard.type(String(line));
    await this.page.keyboard.press('Enter');
    await this.page.waitForSelector('.quick-input-widget', { state: 'hidden', timeout: 15_000 });
    await this.until(`the cursor on line ${line}`, async () => (await this.cursor()).line === line);
  }
}
