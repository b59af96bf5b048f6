// Build-time rewrites for the console's cold start (dist/console.cjs and the single
// executable). Each keeps the dependency's results identical and checks that the text it
// replaces is still there, so a dependency update fails the build instead of drifting.
import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {framePatches} from './frame-patches.mjs';

export function replaceOnce(text, from, to, where) {
	const at = text.indexOf(from);
	if (at < 0 || text.indexOf(from, at + from.length) >= 0) {
		throw new Error(`bundle-patches: expected exactly one "${from.slice(0, 60)}" in ${where}; the dependency changed, update scripts/bundle-patches.mjs`);
	}
	return text.slice(0, at) + to + text.slice(at + from.length);
}

/**
 * Code points that always form a grapheme cluster of their own (Grapheme_Cluster_Break
 * Control or Other: no CR, marks, joiners, variation selectors, Hangul jamo or regional
 * indicators): ASCII and C1 controls, Latin-1 and Latin extended letters, general
 * punctuation, arrows, technical symbols, box drawing, blocks, shapes, symbols and
 * dingbats. test/unit/bundle-patches.test.ts checks the claim against Intl.Segmenter.
 */
export const ONE_CLUSTER_EACH = String.raw`/^[\x00-\x0C\x0E-\xAC\xAE-\u02FF\u2010-\u2027\u2030-\u205E\u2190-\u23FF\u2500-\u27BF]*$/`;

/**
 * One grapheme segmenter for every dependency, built on first use: each
 * `new Intl.Segmenter()` costs milliseconds (the first one, ICU's start-up, tens), and
 * string-width, ansi-tokenize and slice-ansi each built theirs when loaded. clusters()
 * splits strings made only of code points that are clusters of their own (the console's
 * "…", "↓", box drawing, ANSI escapes) by code point, which gives the same clusters.
 */
export const GRAPHEMES_MODULE = `
let shared;
export function graphemeSegmenter() {
	shared ??= new Intl.Segmenter(undefined, {granularity: 'grapheme'});
	return shared;
}
const oneClusterEach = ${ONE_CLUSTER_EACH};
export function clusters(input) {
	if (!oneClusterEach.test(input)) return graphemeSegmenter().segment(input);
	const out = [];
	let index = 0;
	for (const segment of input) {
		out.push({segment, index, input});
		index += segment.length;
	}
	return out;
}
/** Intl.Segmenter's segment(): the real one, or the same answers by code unit for such strings (none has a surrogate). */
export function segments(input) {
	if (!oneClusterEach.test(input)) return graphemeSegmenter().segment(input);
	return {
		containing(index) {
			return index >= 0 && index < input.length ? {segment: input[index], index, input} : undefined;
		},
		[Symbol.iterator]() {
			return clusters(input)[Symbol.iterator]();
		},
	};
}
`;
const useGraphemes = "import {clusters as __lsClusters, segments as __lsSegments} from 'layerscope:graphemes';\n";

/** string-width 7 and 8: no segmenter of its own; clusters() for the loop. */
function stringWidthClusters(text, where) {
	text = replaceOnce(text, 'const segmenter = new Intl.Segmenter();', '', where);
	return useGraphemes + replaceOnce(text, 'of segmenter.segment(string))', 'of __lsClusters(string))', where);
}

/** @alcalzone/ansi-tokenize: Ink tokenizes every string it writes. */
function ansiTokenize(text, where) {
	text = replaceOnce(text, 'const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });', '', where);
	return useGraphemes + replaceOnce(text, 'of segmenter.segment(str))', 'of __lsClusters(str))', where);
}

/** slice-ansi also uses Segments.containing(). */
function sliceAnsi(text, where) {
	return useGraphemes + replaceOnce(text, "const GRAPHEME_SEGMENTER = new Intl.Segmenter(undefined, {granularity: 'grapheme'});", 'const GRAPHEME_SEGMENTER = {segment: __lsSegments};', where);
}

/**
 * string-width 8 tests each non-ASCII cluster against /^\p{RGI_Emoji}$/v, whose first use
 * compiles a very large expression. Every RGI emoji holds a non-ASCII code point with the
 * Emoji or Emoji_Component property (the emoji itself, U+20E3, U+200D, U+FE0F, a regional
 * indicator, a modifier or a tag); clusters without one skip the test with the same answer.
 */
function rgiGuard(text, where) {
	text = replaceOnce(
		text,
		'const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;',
		// Built on first use: even creating it costs tens of ms (esbuild turns /v literals into new RegExp).
		"let rgiEmoji;\nconst rgiEmojiRegex = {test: string => (rgiEmoji ??= new RegExp('^\\\\p{RGI_Emoji}$', 'v')).test(string)};\nconst maybeEmoji = /(?![\\x00-\\x7F])[\\p{Emoji}\\p{Emoji_Component}]/u;",
		where,
	);
	return replaceOnce(text, 'if (rgiEmojiRegex.test(segment) ||', 'if ((maybeEmoji.test(segment) && rgiEmojiRegex.test(segment)) ||', where);
}

/** The rewritten text of string-width/index.js at `path` (version 7 or 8). */
export function patchStringWidth(path) {
	const text = readFileSync(path, 'utf8');
	const {version} = JSON.parse(readFileSync(join(dirname(path), 'package.json'), 'utf8'));
	const major = Number(version.split('.')[0]);
	if (major === 7) return stringWidthClusters(text, path);
	if (major === 8) return rgiGuard(stringWidthClusters(text, path), path);
	throw new Error(`bundle-patches: string-width ${version} at ${path} is not a version these rewrites know; update scripts/bundle-patches.mjs`);
}

/**
 * npm installs some packages several times at the same version (string-width 8 under ink,
 * widest-line and cli-truncate): one copy in the bundle instead of several, so each is
 * loaded, and warmed up, once.
 */
const dedupe = {
	name: 'layerscope-dedupe',
	setup(build) {
		const first = new Map();
		build.onResolve({filter: /^[^./]/}, async args => {
			if (args.pluginData?.deduping || args.path.startsWith('node:')) return undefined;
			const result = await build.resolve(args.path, {kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: {deduping: true}});
			if (result.errors.length > 0 || !result.path.includes('node_modules')) return result;
			const root = result.path.slice(0, result.path.lastIndexOf('node_modules') + 'node_modules'.length);
			const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
			let version;
			try {
				version = JSON.parse(readFileSync(join(root, name, 'package.json'), 'utf8')).version;
			} catch {
				return result;
			}
			const key = `${args.path}@${version}`;
			if (!first.has(key)) first.set(key, result);
			return first.get(key);
		});
	},
};

/**
 * docker-modem formats every request's options with util.inspect (showHidden, unlimited
 * depth) for a debug line that is off unless DEBUG=modem: through an abort signal that reaches
 * the timer list, 60 ms of `layerscope image`'s 1.2 s in one profile. The line is built only
 * when it is printed.
 */
export function modemDebug(text, where) {
	return replaceOnce(text, "debug('Sending: %s', util.inspect(options, {", "if (debug.enabled) debug('Sending: %s', util.inspect(options, {", where);
}

const load = (filter, patch) => build => build.onLoad({filter}, args => ({contents: patch(readFileSync(args.path, 'utf8'), args.path), loader: 'js'}));

/** esbuild plugins applying the rewrites above, and the frame-cost ones (frame-patches.mjs). */
export const bundlePatches = [
	dedupe,
	framePatches,
	{
		name: 'layerscope-graphemes',
		setup(build) {
			build.onResolve({filter: /^layerscope:graphemes$/}, () => ({path: 'graphemes', namespace: 'layerscope-graphemes'}));
			build.onLoad({filter: /.*/, namespace: 'layerscope-graphemes'}, () => ({contents: GRAPHEMES_MODULE, loader: 'js'}));
			build.onLoad({filter: /[\\/]node_modules[\\/]string-width[\\/]index\.js$/}, args => ({contents: patchStringWidth(args.path), loader: 'js'}));
			load(/[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]tokenize\.js$/, ansiTokenize)(build);
			load(/[\\/]node_modules[\\/]slice-ansi[\\/]tokenize-ansi\.js$/, sliceAnsi)(build);
			load(/[\\/]node_modules[\\/]docker-modem[\\/]lib[\\/]modem\.js$/, modemDebug)(build);
		},
	},
];
