// Reading the HA Clusters view, its welcome text, notifications and quick inputs from the workbench page.
import type { Workbench } from '../helpers/workbench';

export interface TreeRow {
  label: string;
  description: string;
  /** The row's accessible label (label and description for members). */
  aria: string;
  /** Its depth in the tree: 1 for a cluster, 2 for its members, 3 for an HAProxy backend's servers. */
  level: number;
  /** The codicon its icon shows (`star-full`, `error`, `warning` …), '' when none. */
  icon: string;
}

// Functions passed to page.evaluate run in the browser; the little DOM they use is declared here.
interface PageElement {
  textContent: string | null;
  className: string;
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
}
declare const document: PageElement & { body: { innerText: string } };

const CONTAINER = '[id="workbench.view.extension.hatopo"]';
type Mouse = { click(x: number, y: number, o?: { button?: 'left' | 'right' }): Promise<void> };

/**
 * Clicks the middle of the row whose name is exactly `name`, found by what it shows at the moment of
 * the click: the list reuses and reorders its row elements as the tree refreshes, so a position in
 * the DOM read a moment earlier may name another row.
 */
async function clickRowNamed(wb: Workbench, name: string, button: 'left' | 'right'): Promise<void> {
  const at = await wb.until(`the row ${name}`, () =>
    wb.page.evaluate(
      ([container, wanted]) => {
        const row = Array.from(document.querySelectorAll(`${container} .monaco-list-row`)).find((r) => r.querySelector('.label-name')?.textContent === wanted);
        const box = (row as unknown as { getBoundingClientRect(): { x: number; y: number; width: number; height: number } } | undefined)?.getBoundingClientRect();
        return box && box.height > 0 ? { x: box.x + Math.min(box.width / 2, 120), y: box.y + box.height / 2 } : undefined;
      },
      [CONTAINER, name] as const,
    ),
  );
  await (wb.page as unknown as { mouse: Mouse }).mouse.click(at.x, at.y, { button });
}

/** Clicks the row of the view whose name is exactly `name`, or the action of that row named `action`. */
export async function clickRow(wb: Workbench, name: string, action?: string): Promise<void> {
  if (!action) return clickRowNamed(wb, name, 'left');
  const index = await wb.until(`the row ${name}`, async () => {
    const i = (await clusterRows(wb)).findIndex((r) => r.label === name);
    return i >= 0 ? i : undefined;
  });
  await wb.page.click(`${CONTAINER} .monaco-list-row >> nth=${index} >> .action-label[aria-label="${action}"]`);
}

/**
 * Runs a command from the palette whose first step is a quick input of its own. Unlike
 * Workbench.runCommand it does not wait for the palette to close: the command's input takes its place.
 */
export async function startCommand(wb: Workbench, title: string): Promise<void> {
  await wb.page.keyboard.press('F1');
  await wb.page.waitForSelector('.quick-input-widget .quick-input-box input', { state: 'visible', timeout: 15_000 });
  await wb.page.keyboard.press('Control+A');
  await wb.page.keyboard.type(`>${title}`);
  await wb.until(`"${title}" focused in the palette`, () =>
    wb.page.evaluate((t) => document.querySelector('.quick-input-widget .monaco-list-row.focused')?.getAttribute('aria-label')?.includes(t) ?? false, title),
  );
  await wb.page.keyboard.press('Enter');
}

/** Shows the HA Topology container, as a person does: its activity bar item. */
export async function openClustersView(wb: Workbench): Promise<void> {
  await wb.page.click('.activitybar .action-item [aria-label^="HA Topology"]', { timeout: 30_000 });
  await wb.page.waitForSelector(CONTAINER, { state: 'visible', timeout: 15_000 });
}

/** Makes the side bar wider by dragging its edge, as a person does, so the rows' descriptions show in screenshots. */
export async function widenSideBar(wb: Workbench, by = 300): Promise<void> {
  const mouse = (wb.page as unknown as { mouse: { move(x: number, y: number, o?: { steps: number }): Promise<void>; down(): Promise<void>; up(): Promise<void> } }).mouse;
  const right = await wb.page.evaluate(() => (document.querySelector('.part.sidebar') as unknown as { getBoundingClientRect(): { right: number } } | null)?.getBoundingClientRect().right ?? 0, undefined);
  await mouse.move(right, 400);
  await mouse.down();
  await mouse.move(right + by, 400, { steps: 8 });
  await mouse.up();
}

/** The rows of the HA Clusters view as shown. */
export function clusterRows(wb: Workbench): Promise<TreeRow[]> {
  return wb.page.evaluate(
    (container) =>
      Array.from(document.querySelectorAll(`${container} .monaco-list-row`)).map((row) => ({
        label: row.querySelector('.label-name')?.textContent ?? '',
        description: row.querySelector('.label-description')?.textContent ?? '',
        aria: row.getAttribute('aria-label') ?? '',
        level: Number(row.getAttribute('aria-level') ?? 0),
        icon: /\bcodicon-([\w-]+)/.exec(row.querySelector('.custom-view-tree-node-item-icon')?.className ?? '')?.[1] ?? '',
      })),
    CONTAINER,
  );
}

/** The welcome text of the view (shown when it has no rows). */
export function welcomeText(wb: Workbench): Promise<string> {
  return wb.page.evaluate((container) => document.querySelector(`${container} .welcome-view-content`)?.textContent ?? '', CONTAINER);
}

export function notificationTexts(wb: Workbench): Promise<string[]> {
  return wb.page.evaluate(() => Array.from(document.querySelectorAll('.notification-toast .notification-list-item-message')).map((e) => e.textContent ?? ''), undefined);
}

export function pageText(wb: Workbench): Promise<string> {
  return wb.page.evaluate(() => document.body.innerText, undefined);
}

/**
 * Waits for the quick input whose title (or placeholder) holds `title`, types `text` into it when
 * given (replacing what it holds), and accepts it.
 */
export async function pressInQuickInput(wb: Workbench, text: string | undefined, title: string): Promise<void> {
  await wb.until(`the quick input "${title}"`, () =>
    wb.page.evaluate((t) => {
      const widget = document.querySelector('.quick-input-widget');
      const shown = widget?.querySelector('.quick-input-title')?.textContent ?? '';
      const placeholder = widget?.querySelector('.quick-input-box input')?.getAttribute('placeholder') ?? '';
      const rows = Array.from(widget?.querySelectorAll('.monaco-list-row') ?? []).map((r) => r.getAttribute('aria-label') ?? '');
      return shown.includes(t) || placeholder.includes(t) || rows.some((r) => r.includes(t));
    }, title),
  );
  /** The input shown now, by its title, prompt and placeholder; '' when none is. */
  const current = () =>
    wb.page.evaluate(() => {
      const widget = document.querySelector('.quick-input-widget');
      if (!widget || (widget.getAttribute('style') ?? '').includes('display: none')) return '';
      const parts = ['.quick-input-title', '.quick-input-message'].map((sel) => widget.querySelector(sel)?.textContent ?? '');
      return [...parts, widget.querySelector('.quick-input-box input')?.getAttribute('placeholder') ?? ''].join('\u0000');
    }, undefined);
  if (text !== undefined) {
    await wb.page.keyboard.press('Control+A');
    await wb.page.keyboard.type(text);
    // In a pick, Enter takes the focused item: wait for the typed filter to focus the one meant.
    const isPick = await wb.page.evaluate(() => (document.querySelector('.quick-input-widget .quick-input-list')?.getAttribute('style') ?? '').includes('display: none') === false && document.querySelectorAll('.quick-input-widget .monaco-list-row').length > 0, undefined);
    if (isPick) {
      await wb.until(`"${text}" focused in the quick pick`, () =>
        wb.page.evaluate((t) => document.querySelector('.quick-input-widget .monaco-list-row.focused')?.getAttribute('aria-label')?.includes(t) ?? false, text),
      );
    }
  }
  const answering = await current();
  await wb.page.keyboard.press('Enter');
  // An Enter that reached the input before it listened leaves it open: once more, after a moment.
  for (let i = 0; i < 2; i++) {
    const moved = await wb.until(`the quick input "${title}" to be answered`, async () => (await current()) !== answering, 3_000).then(() => true, () => false);
    if (moved) return;
    await wb.page.keyboard.press('Enter');
  }
}

/**
 * Opens the context menu of the row named `name` (a right click, as a person does) and picks `item`
 * from it. A menu a refresh of the tree closed before the item showed is opened again (3 tries).
 */
export async function contextMenuOfRow(wb: Workbench, name: string, item: string): Promise<void> {
  const entry = `.monaco-menu .action-item .action-label[aria-label="${item}"]`;
  for (let attempt = 1; ; attempt++) {
    await clickRowNamed(wb, name, 'right');
    try {
      await wb.page.waitForSelector(entry, { state: 'visible', timeout: 5_000 });
      // A menu ignores the mouse for a moment after it opens (the right button's own release); a person is slower.
      await new Promise((r) => setTimeout(r, 500));
      await wb.page.click(entry);
      return;
    } catch (e) {
      if (attempt >= 3) throw new Error(`"${item}" of the row ${name}: ${(e as Error).message.split('\n')[0]}`);
      await wb.page.keyboard.press('Escape');
    }
  }
}

/** The modal dialog shown now: its message, its detail and its buttons; undefined when none is. */
export function modalDialog(wb: Workbench): Promise<{ message: string; detail: string; buttons: string[] } | undefined> {
  return wb.page.evaluate(() => {
    const box = document.querySelector('.monaco-dialog-box');
    if (!box) return undefined;
    return {
      message: box.querySelector('.dialog-message-text')?.textContent ?? '',
      detail: box.querySelector('.dialog-message-detail')?.textContent ?? '',
      buttons: Array.from(box.querySelectorAll('.dialog-buttons .monaco-button')).map((b) => b.textContent ?? ''),
    };
  }, undefined);
}

/** Presses the button of the modal dialog labelled `label`. */
export async function pressDialogButton(wb: Workbench, label: string): Promise<void> {
  await wb.page.click(`.monaco-dialog-box .dialog-buttons .monaco-button:has-text("${label}")`);
}
