// Build-time rewrites for the console's frame cost (issue 18), applied to dist/console.cjs
// and the single executable with the cold-start ones (bundle-patches.mjs). Ink rebuilds
// every frame from scratch: it measures each text, tokenizes each line it writes into
// styled cells and turns every screen row back into a string. A key press changes two
// rows of forty, so these keep what a frame computed for the next one, keyed by content:
// the output is byte for byte what Ink writes without them.
import {readFileSync} from 'node:fs';
import {replaceOnce} from './bundle-patches.mjs';

/** Bounded: a cache never grows with the session (a long session scrolls through many rows). */
const limit = 4096;

/** widest-line: Ink measures every text node on every frame; the width is a function of the string. */
export function patchWidestLine(text, where) {
	return replaceOnce(
		text,
		'export default function widestLine(string) {',
		`const widestCache = new Map();
export default function widestLine(string) {
	let cached = widestCache.get(string);
	if (cached === undefined) {
		if (widestCache.size >= ${limit}) widestCache.clear();
		cached = measureWidestLine(string);
		widestCache.set(string, cached);
	}
	return cached;
}
function measureWidestLine(string) {`,
		where,
	);
}

/**
 * ink/build/output.js: (1) one OutputCaches for every frame, not a new one per frame
 * (widths and styled cells of a line are functions of its text, and no cell is ever
 * modified after it is made); (2) one frozen blank cell instead of a new one per screen
 * cell; (3) a screen row's string is kept with what it was made from (rowString), instead
 * of diffing its cells' styles one by one again on every frame.
 */
export function patchInkOutput(text, where) {
	text = replaceOnce(
		text,
		'export default class Output {',
		`let sharedCaches;
function outputCaches() {
	if (!sharedCaches || sharedCaches.styledChars.size >= ${limit} || sharedCaches.widths.size >= ${limit * 4} || sharedCaches.blockWidths.size >= ${limit}) sharedCaches = new OutputCaches();
	return sharedCaches;
}
const blankCell = Object.freeze({type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([])});
const rowTexts = new WeakMap();
let previousRows = [];
/**
 * A row written by one line of text (most rows: one Text each) is a function of that
 * line's styled cells (one cached array per distinct line), its column and the width: its
 * string is kept with those cells, so a row that scrolls or comes back costs a lookup.
 * Other rows reuse the previous frame's string when every cell is the same object.
 */
function rowString(line, y, segment, width) {
	if (segment === undefined) return '';
	if (segment !== null) {
		let byColumn = rowTexts.get(segment.characters);
		if (!byColumn) rowTexts.set(segment.characters, (byColumn = new Map()));
		const key = segment.x * 65536 + width;
		let text = byColumn.get(key);
		if (text === undefined) byColumn.set(key, (text = styledCharsToString(line.filter(item => item !== undefined)).trimEnd()));
		return text;
	}
	const previous = previousRows[y];
	if (previous && previous.cells.length === line.length && previous.cells.every((cell, x) => cell === line[x])) return previous.text;
	const text = styledCharsToString(line.filter(item => item !== undefined)).trimEnd();
	previousRows[y] = {cells: line, text};
	return text;
}
export default class Output {`,
		where,
	);
	text = replaceOnce(text, 'caches = new OutputCaches();', 'caches = outputCaches();', where);
	// Which text each row was written from: undefined for none, null for more than one.
	text = replaceOnce(text, '        const clips = [];', '        const clips = [];\n        const segments = [];', where);
	text = replaceOnce(
		text,
		'                    const characters = this.caches.getStyledChars(line);',
		'                    const characters = this.caches.getStyledChars(line);\n                    segments[y + offsetY] = segments[y + offsetY] === undefined ? {x, characters} : null;',
		where,
	);
	text = replaceOnce(
		text,
		`                row.push({
                    type: 'char',
                    value: ' ',
                    fullWidth: false,
                    styles: [],
                });`,
		'                row.push(blankCell);',
		where,
	);
	return replaceOnce(
		text,
		`        const generatedOutput = output
            .map(line => {
            // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742
            const lineWithoutEmptyItems = line.filter(item => item !== undefined);
            return styledCharsToString(lineWithoutEmptyItems).trimEnd();
        })
            .join('\\n');`,
		`        if (previousRows.length > output.length) previousRows.length = output.length;
        const generatedOutput = output.map((line, y) => rowString(line, y, segments[y], this.width)).join('\\n');`,
		where,
	);
}

const load = (filter, patch) => build => build.onLoad({filter}, args => ({contents: patch(readFileSync(args.path, 'utf8'), args.path), loader: 'js'}));

/** The esbuild plugin. */
export const framePatches = {
	name: 'layerscope-frame',
	setup(build) {
		load(/[\\/]node_modules[\\/]widest-line[\\/]index\.js$/, patchWidestLine)(build);
		load(/[\\/]node_modules[\\/]ink[\\/]build[\\/]output\.js$/, patchInkOutput)(build);
	},
};
