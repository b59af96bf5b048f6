/**
 * The path trie the image analysis stacks layers in (pure), as columns: a node is an index into
 * typed arrays, found by its path ("/a/b"; "" for the root) in one map, children chained by
 * index. No object per node, so 100,000 paths cost the garbage collector one map and a few
 * arrays. Nodes are never removed: deletions clear their fields.
 */

/** visType when nothing is visible at the path. */
export const NONE = -1;
/** dive's stacked tree at a path: absent, present (not a directory), present directory. */
export const DIVE_NONE = 0;
export const DIVE_FILE = 1;
export const DIVE_DIR = 2;

export class LayerStack {
	size = 1;
	private cap = 0;
	parent = new Int32Array(0);
	firstChild = new Int32Array(0);
	nextSibling = new Int32Array(0);
	/** Scratch marks of the layer being read: it lists something below this node / it stacked dive's parents. */
	childOf = new Int32Array(0);
	diveOf = new Int32Array(0);
	/** Lowest layer that wrote the path, -1 when none. */
	firstLayer = new Int32Array(0);
	/** File bytes stored at exactly this path, over the layers stacked so far. */
	stored = new Float64Array(0);
	/** Of `stored`, the bytes already attributed to a deletion or an overwrite. */
	attributed = new Float64Array(0);
	/** The visible entry's type (an index into LAYER_TYPES, NONE when none) and bytes. */
	visType = new Int8Array(0);
	visBytes = new Float64Array(0);
	/** dive's stacked tree: DIVE_* and the size of the node's own payload. */
	dive = new Uint8Array(0);
	diveBytes = new Float64Array(0);
	effCount = new Int32Array(0);
	effCumulative = new Float64Array(0);
	effMin = new Float64Array(0);
	/** Each node's path. */
	readonly paths: string[] = [''];
	private readonly ids = new Map<string, number>([['', 0]]);
	private readonly stack: number[] = [];
	private lastParent = '';
	private lastParentId = 0;

	constructor(capacity = 1024) {
		this.grow(capacity);
		this.init(0, -1);
	}

	private grow(cap: number): void {
		const copy = <A extends Int32Array | Float64Array | Int8Array | Uint8Array>(a: A, make: (n: number) => A): A => {
			const b = make(cap);
			b.set(a);
			return b;
		};
		const i32 = (n: number) => new Int32Array(n);
		const f64 = (n: number) => new Float64Array(n);
		this.parent = copy(this.parent, i32);
		this.firstChild = copy(this.firstChild, i32);
		this.nextSibling = copy(this.nextSibling, i32);
		this.childOf = copy(this.childOf, i32);
		this.diveOf = copy(this.diveOf, i32);
		this.firstLayer = copy(this.firstLayer, i32);
		this.effCount = copy(this.effCount, i32);
		this.stored = copy(this.stored, f64);
		this.attributed = copy(this.attributed, f64);
		this.visBytes = copy(this.visBytes, f64);
		this.diveBytes = copy(this.diveBytes, f64);
		this.effCumulative = copy(this.effCumulative, f64);
		this.effMin = copy(this.effMin, f64);
		this.visType = copy(this.visType, n => new Int8Array(n));
		this.dive = copy(this.dive, n => new Uint8Array(n));
		this.cap = cap;
	}

	private init(id: number, parent: number): void {
		this.parent[id] = parent;
		this.firstChild[id] = -1;
		this.nextSibling[id] = -1;
		this.childOf[id] = -1;
		this.diveOf[id] = -1;
		this.firstLayer[id] = -1;
		this.visType[id] = NONE;
		this.effMin[id] = -1;
	}

	/** The node of a normalised path ("/a/b", "" for the root), made with its parents when new. */
	node(path: string): number {
		const id = this.ids.get(path);
		return id === undefined ? this.add(path) : id;
	}

	private add(path: string): number {
		// Entries come grouped by directory: the last parent usually is this one's too.
		const slash = path.lastIndexOf('/');
		const last = this.lastParent;
		const parent = slash === last.length && path.startsWith(last) ? this.lastParentId : this.node(path.slice(0, slash));
		if (slash !== last.length || parent !== this.lastParentId) {
			this.lastParent = this.paths[parent]!;
			this.lastParentId = parent;
		}
		if (this.size === this.cap) this.grow(this.cap * 2);
		const id = this.size++;
		this.init(id, parent);
		this.nextSibling[id] = this.firstChild[parent]!;
		this.firstChild[parent] = id;
		this.paths.push(path);
		this.ids.set(path, id);
		return id;
	}

	/** Calls `visit` for `id` (when `self`) and every node below it. */
	each(id: number, self: boolean, visit: (id: number) => void): void {
		const stack = this.stack;
		const base = stack.length;
		if (self) visit(id);
		for (let c = this.firstChild[id]!; c >= 0; c = this.nextSibling[c]!) stack.push(c);
		while (stack.length > base) {
			const n = stack.pop()!;
			visit(n);
			for (let c = this.firstChild[n]!; c >= 0; c = this.nextSibling[c]!) stack.push(c);
		}
	}
}

export const splitPath = (path: string): string[] => path.split('/').filter(part => part !== '' && part !== '.');
