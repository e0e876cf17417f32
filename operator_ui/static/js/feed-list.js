// A virtualised list of fixed-height rows: only the rows in view (plus a few) are in the DOM, so
// tens of thousands of comments scroll smoothly. It follows the newest item unless the user has
// scrolled up, and then counts what arrived below instead of jumping.

const OVERSCAN = 6;
const POOL_MAX = 40;

export class VirtualList {
  /**
   * `scroller` scrolls; `canvas` (inside it) holds absolutely positioned rows. `createRow()` makes
   * an empty row, `fillRow(el, item)` fills it; `onNewCount(n)` reports items that arrived below
   * while the user looked elsewhere; `onTop()` fires when the user reaches the top.
   */
  constructor({ scroller, canvas, createRow, fillRow, onNewCount = () => {}, onTop = () => {} }) {
    Object.assign(this, { scroller, canvas, createRow, fillRow, onNewCount, onTop });
    this.items = [];
    this.rendered = new Map(); // id -> element
    this.filled = new WeakMap(); // element -> [item, generation]
    this.pool = [];
    this.generation = 0;
    this.rowHeight = 0;
    this.follow = true;
    this.newCount = 0;
    this.frame = 0;
    scroller.addEventListener("scroll", () => this.onScroll(), { passive: true });
    if (window.ResizeObserver) new ResizeObserver(() => this.measure()).observe(scroller);
    window.addEventListener("resize", () => this.measure());
  }

  /** The row height in px, measured from a real row (the CSS decides it). */
  measure() {
    const probe = this.createRow();
    probe.classList.add("probe");
    this.canvas.append(probe);
    const h = probe.getBoundingClientRect().height;
    probe.remove();
    if (h > 0 && Math.abs(h - this.rowHeight) > 0.5) {
      this.rowHeight = h;
      this.layout();
    } else this.schedule();
  }

  atBottom() {
    const s = this.scroller;
    return s.scrollTop + s.clientHeight >= s.scrollHeight - Math.max(4, this.rowHeight / 2);
  }

  onScroll() {
    this.follow = this.atBottom();
    if (this.follow && this.newCount) this.setNewCount(0);
    if (this.scroller.scrollTop < this.rowHeight * 3) this.onTop();
    this.schedule();
  }

  setNewCount(n) {
    this.newCount = n;
    this.onNewCount(n);
  }

  /** Index of the first item whose id is >= id (items are in id order). */
  indexOf(id) {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.items[mid].id < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Replace the items (sorted by id), keeping the row at the top of the view where it was. */
  setItems(items) {
    const h = this.rowHeight || 1;
    const prevLast = this.items.length ? this.items[this.items.length - 1].id : -Infinity;
    const topIndex = Math.floor(this.scroller.scrollTop / h);
    const anchor = this.items[topIndex];
    const offset = this.scroller.scrollTop - topIndex * h;
    const follow = this.follow;
    this.items = items;
    let arrived = 0;
    for (let i = items.length - 1; i >= 0 && items[i].id > prevLast; i -= 1) arrived += 1;
    this.canvas.style.height = `${items.length * h}px`;
    if (follow || !anchor) this.scrollTo(this.scroller.scrollHeight);
    else {
      this.scrollTo(this.indexOf(anchor.id) * h + offset);
      if (arrived && Number.isFinite(prevLast)) this.setNewCount(this.newCount + arrived);
    }
    this.render();
  }

  scrollTo(top) {
    const max = Math.max(0, this.canvas.offsetHeight - this.scroller.clientHeight);
    const next = Math.max(0, Math.min(top, max));
    if (Math.abs(this.scroller.scrollTop - next) >= 1) this.scroller.scrollTop = next;
  }

  /** Go to the newest item and follow new ones again. */
  toBottom() {
    this.follow = true;
    this.setNewCount(0);
    this.scrollTo(this.canvas.offsetHeight);
    this.render();
  }

  /** Re-fill every visible row (after a language change or a change that affects all rows). */
  refresh() {
    this.generation += 1;
    this.schedule();
  }

  layout() {
    this.canvas.style.height = `${this.items.length * this.rowHeight}px`;
    if (this.follow) this.scrollTo(this.canvas.offsetHeight);
    this.generation += 1;
    this.render();
  }

  schedule() {
    if (this.frame) return;
    const later = document.hidden ? (fn) => setTimeout(fn, 100) : requestAnimationFrame;
    this.frame = later(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** Make sure item `index` is inside the view, then render. */
  reveal(index) {
    const h = this.rowHeight;
    const s = this.scroller;
    if (index * h < s.scrollTop) this.scrollTo(index * h);
    else if ((index + 1) * h > s.scrollTop + s.clientHeight) this.scrollTo((index + 1) * h - s.clientHeight);
    this.follow = this.atBottom();
    this.render();
  }

  /** The element of a rendered item, if it is in the DOM. */
  elementOf(id) {
    return this.rendered.get(id) || null;
  }

  /** How many rows fit in the view. */
  pageSize() {
    return Math.max(1, Math.floor(this.scroller.clientHeight / (this.rowHeight || 1)));
  }

  render() {
    if (!this.rowHeight) return;
    const h = this.rowHeight;
    const n = this.items.length;
    const first = Math.max(0, Math.floor(this.scroller.scrollTop / h) - OVERSCAN);
    const last = Math.min(n - 1, Math.ceil((this.scroller.scrollTop + this.scroller.clientHeight) / h) + OVERSCAN);
    const keep = new Set();
    for (let i = first; i <= last; i += 1) keep.add(this.items[i].id);
    const focused = document.activeElement;
    for (const [id, el] of this.rendered) {
      if (keep.has(id) || el.contains(focused)) continue;
      this.rendered.delete(id);
      el.remove();
      if (this.pool.length < POOL_MAX) this.pool.push(el);
    }
    let prev = null;
    for (let i = first; i <= last; i += 1) {
      const item = this.items[i];
      let el = this.rendered.get(item.id);
      if (!el) {
        el = this.pool.pop() || this.createRow();
        this.rendered.set(item.id, el);
      }
      const done = this.filled.get(el);
      if (!done || done[0] !== item || done[1] !== this.generation) {
        this.fillRow(el, item);
        this.filled.set(el, [item, this.generation]);
      }
      el.style.transform = `translateY(${i * h}px)`;
      el.setAttribute("aria-posinset", String(i + 1));
      el.setAttribute("aria-setsize", String(n));
      // Keep the DOM in visual order, for screen readers and Tab.
      const want = prev ? prev.nextSibling : this.canvas.firstChild;
      if (el !== want) this.canvas.insertBefore(el, want);
      prev = el;
    }
    // A focused row that scrolled away stays in the DOM but out of sight.
    for (const [id, el] of this.rendered) {
      if (!keep.has(id)) {
        const i = this.indexOf(id);
        if (this.items[i] && this.items[i].id === id) el.style.transform = `translateY(${i * h}px)`;
        else {
          this.rendered.delete(id);
          el.remove();
        }
      }
    }
  }
}
