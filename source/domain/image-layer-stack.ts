/**
 * The path trie the image analysis stacks layers in (pure), as columns: a node is an index into
 * typed arrays, found as a child of its parent by its name's bytes in one open-addressing hash
 * table (names kept once, in one byte arena), children chained by index. No object and no
 * string per node, so 100,000 paths cost the garbage collector a few arrays; a listing that has
 * names as bytes (find's output) feeds `child` straight from its buffers, and a node's path is
 * made as text only when asked for (`pathOf`). Names are compared as bytes: a listing gives the
 * raw bytes, a text path ("/a/b") its names in UTF-8. Nodes are never removed: deletions clear
 * their fields.
 */

/** visType when nothing is visible at the path. */
export const NONE = -1;
/** dive's stacked tree at a path: absent, present (not a directory), present directory. */
export const DIVE_NONE = 0;
export const DIVE_FILE = 1;
export const DIVE_DIR = 2;

const utf8 = new TextDecoder('utf-8', {fatal: true});
const encoder = new TextEncoder();

/** A name's text: UTF-8 when valid, else one char per byte (as the layer listings make it). */
export function nameTextOf(bytes: Uint8Array): string {
	let ascii = true;
	for (let i = 0; i < bytes.length; i++)
		if (bytes[i]! > 0x7f) {
			ascii = false;
			break;
		}
	// One char per byte (a name is at most 255 bytes on disk; a tar's may be longer: no spread of it).
	if (ascii && bytes.length <= 1024) return String.fromCharCode.apply(null, bytes as unknown as number[]);
	if (!ascii)
		try {
			return utf8.decode(bytes);
		} catch {}
	let out = '';
	for (let i = 0; i < bytes.length; i++) out += String.fromCharCode(bytes[i]!);
	return out;
}

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
	/** Each node's name: bytes [nameStart, nameStart + nameLength) of `names`, and their hash. */
	private nameStart = new Int32Array(0);
	private nameLength = new Int32Array(0);
	private hash = new Int32Array(0);
	private names: Uint8Array;
	private namesUsed = 0;
	/** Open addressing: node ids (0: empty, the root is nobody's child), a power of two long. */
	private slots = new Int32Array(0);
	/** subtree's scratch. */
	private below: Int32Array = new Int32Array(1024);
	private claimed = false;
	/** node(text)'s scratch: the UTF-8 bytes of one name. */
	private scratch = new Uint8Array(256);
	private lastParent = '';
	private lastParentId = 0;
	/** Paths made so far by pathOf, for directories (their children ask again). */
	private readonly pathCache = new Map<number, string>([[0, '']]);

	constructor(capacity = 1024) {
		// Names average well under 16 bytes; pages never written cost no memory.
		this.names = new Uint8Array(capacity * 16);
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
		this.nameStart = copy(this.nameStart, i32);
		this.nameLength = copy(this.nameLength, i32);
		this.hash = copy(this.hash, i32);
		this.stored = copy(this.stored, f64);
		this.attributed = copy(this.attributed, f64);
		this.visBytes = copy(this.visBytes, f64);
		this.diveBytes = copy(this.diveBytes, f64);
		this.effCumulative = copy(this.effCumulative, f64);
		this.effMin = copy(this.effMin, f64);
		this.visType = copy(this.visType, n => new Int8Array(n));
		this.dive = copy(this.dive, n => new Uint8Array(n));
		this.cap = cap;
		// The table stays at most half full.
		const slots = new Int32Array(cap * 2);
		const mask = slots.length - 1;
		for (let id = 1; id < this.size; id++) {
			let s = this.hash[id]! & mask;
			while (slots[s] !== 0) s = (s + 1) & mask;
			slots[s] = id;
		}
		this.slots = slots;
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

	/** The child of `parent` named by bytes [start, end) of `bytes`, made when new. */
	child(parent: number, bytes: Uint8Array, start: number, end: number): number {
		// FNV-1a over the name, then the parent mixed in.
		let h = 0x811c9dc5;
		for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
		h = Math.imul(h ^ parent, 0x9e3779b1);
		h ^= h >>> 15;
		const slots = this.slots;
		const mask = slots.length - 1;
		const length = end - start;
		const names = this.names;
		let s = h & mask;
		for (let id = slots[s]!; id !== 0; id = slots[(s = (s + 1) & mask)]!) {
			if (this.hash[id] !== h || this.parent[id] !== parent || this.nameLength[id] !== length) continue;
			const at = this.nameStart[id]!;
			let i = 0;
			while (i < length && names[at + i] === bytes[start + i]) i++;
			if (i === length) return id;
		}
		return this.add(parent, bytes, start, end, h, s);
	}

	private add(parent: number, bytes: Uint8Array, start: number, end: number, h: number, slot: number): number {
		if (this.size === this.cap) {
			this.grow(this.cap * 2);
			const mask = this.slots.length - 1;
			slot = h & mask;
			while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
		}
		const length = end - start;
		if (this.namesUsed + length > this.names.length) {
			const grown = new Uint8Array(Math.max(this.names.length * 2, this.namesUsed + length));
			grown.set(this.names.subarray(0, this.namesUsed));
			this.names = grown;
		}
		const names = this.names;
		for (let i = start, at = this.namesUsed; i < end; i++) names[at++] = bytes[i]!;
		const id = this.size++;
		this.init(id, parent);
		this.nameStart[id] = this.namesUsed;
		this.nameLength[id] = length;
		this.namesUsed += length;
		this.hash[id] = h;
		this.slots[slot] = id;
		this.nextSibling[id] = this.firstChild[parent]!;
		this.firstChild[parent] = id;
		return id;
	}

	/** The node of a text path ("/a/b", "" or "/" for the root; empty and "." names skipped), made with its parents when new. */
	node(path: string): number {
		// Entries come grouped by directory: the last parent usually is this one's too.
		const slash = path.lastIndexOf('/');
		if (slash >= 0 && slash === this.lastParent.length && path.startsWith(this.lastParent)) return this.nameIn(this.lastParentId, path, slash + 1, path.length);
		let id = 0;
		let start = 0;
		for (let i = 0; i <= path.length; i++) {
			if (i < path.length && path.charCodeAt(i) !== 47) continue;
			id = this.nameIn(id, path, start, i);
			if (i === slash) {
				this.lastParent = path.slice(0, slash);
				this.lastParentId = id;
			}
			start = i + 1;
		}
		return id;
	}

	/** The child of `parent` named path[start, end); `parent` itself for an empty or "." name. */
	private nameIn(parent: number, path: string, start: number, end: number): number {
		if (end === start || (end === start + 1 && path.charCodeAt(start) === 46)) return parent;
		return this.childText(parent, path, start, end);
	}

	private childText(parent: number, path: string, start: number, end: number): number {
		let n = 0;
		let ascii = true;
		if (this.scratch.length < (end - start) * 3) this.scratch = new Uint8Array((end - start) * 3);
		for (let i = start; i < end; i++) {
			const c = path.charCodeAt(i);
			if (c > 0x7f) {
				ascii = false;
				break;
			}
			this.scratch[n++] = c;
		}
		if (!ascii) n = encoder.encodeInto(path.slice(start, end), this.scratch).written;
		return this.child(parent, this.scratch, 0, n);
	}

	/** A node's name as bytes (a view: copy it to keep it). */
	nameBytes(id: number): Uint8Array {
		return this.names.subarray(this.nameStart[id]!, this.nameStart[id]! + this.nameLength[id]!);
	}

	/** A node's path as raw bytes ("/a/b"; empty for the root). */
	rawPathOf(id: number): Uint8Array {
		const parts: Uint8Array[] = [];
		let length = 0;
		for (let n = id; n > 0; n = this.parent[n]!) {
			const name = this.nameBytes(n);
			parts.push(name);
			length += name.length + 1;
		}
		const out = new Uint8Array(length);
		let at = 0;
		for (let i = parts.length - 1; i >= 0; i--) {
			out[at++] = 0x2f;
			out.set(parts[i]!, at);
			at += parts[i]!.length;
		}
		return out;
	}

	/** A node's path as text ("/a/b", "" for the root): each name UTF-8 when valid, else one char per byte. */
	pathOf(id: number): string {
		const cached = this.pathCache.get(id);
		if (cached !== undefined) return cached;
		const path = this.pathOf(this.parent[id]!) + '/' + nameTextOf(this.nameBytes(id));
		if (this.firstChild[id] !== -1) this.pathCache.set(id, path);
		return path;
	}

	/** True once: the analysis that stacks layers in this trie (its fields are then used up). */
	claim(): boolean {
		if (this.claimed) return false;
		this.claimed = true;
		return true;
	}

	/** Clears what an analysis stacked (every node as new, the names kept), for another analysis. */
	resetAnalysis(): void {
		const n = this.size;
		for (const a of [this.childOf, this.diveOf, this.firstLayer, this.effMin]) a.fill(-1, 0, n);
		this.visType.fill(NONE, 0, n);
		for (const a of [this.stored, this.attributed, this.visBytes, this.diveBytes, this.effCumulative]) a.fill(0, 0, n);
		this.dive.fill(0, 0, n);
		this.effCount.fill(0, 0, n);
		this.claimed = false;
	}

	/**
	 * `id` (when `self`) and every node below it, as the first `count` ids of `nodes` (a scratch
	 * array, valid until the next call): callers loop over it, no callback per node. Breadth
	 * first, the array its own queue (no stack to push to and pop from).
	 */
	subtree(id: number, self: boolean): {nodes: Int32Array; count: number} {
		const {firstChild, nextSibling} = this;
		let out = this.below;
		out[0] = id;
		let count = 1;
		for (let i = 0; i < count; i++) {
			for (let c = firstChild[out[i]!]!; c >= 0; c = nextSibling[c]!) {
				if (count === out.length) out = this.growBelow();
				out[count++] = c;
			}
		}
		return self ? {nodes: out, count} : {nodes: out.subarray(1), count: count - 1};
	}

	private growBelow(): Int32Array {
		const grown = new Int32Array(this.below.length * 2);
		grown.set(this.below);
		this.below = grown;
		return grown;
	}
}
