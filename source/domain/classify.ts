/**
 * What kind of bytes a changed path holds. Pure: path (+ mark + lower info) -> class.
 * The same rules (as regex sources) are handed to the tree walker's worker, which
 * applies them in the same order: whiteout, copy-up, file-name rules, directory rules, other.
 * `metadata-copy-up` is decided after the walk (metadata-copy-up.ts): a C file whose lower copy
 * has the same size and content, copied up for its owner, mode or times alone.
 */
import {wordsFor} from './engine-words.js';
import type {EngineKind} from './types.js';

export const pathClasses = ['logs', 'package-cache', 'temp', 'database', 'crash-dump', 'copy-up', 'whiteout', 'other', 'metadata-copy-up'] as const;
export type PathClass = (typeof pathClasses)[number];
export type ChangeKind = 'A' | 'C' | 'D';

/** A changed file whose lower version is at least this big is a costly copy-up. */
export const copyUpThresholdBytes = 1024 * 1024;

export const classExplanations: Record<PathClass, string> = {
	logs: 'log file inside the container: it grows until the container is removed; log to stdout or a volume',
	'package-cache': 'package-manager cache left in the layer: clean it in the same RUN step or mount a cache',
	temp: 'temporary files: safe to delete, or mount a tmpfs at /tmp',
	database: 'database files in the writable layer: they belong on a volume',
	'crash-dump': 'core dump from a crashed process: inspect, then delete',
	'metadata-copy-up': 'an image file copied up for its owner, mode or times alone: same content, stored again',
	'copy-up': 'a large image file was copied up to change it: the whole file is stored again',
	whiteout: 'deleted from the image: the lower layer still holds these bytes',
	other: 'other files written by the container',
};

interface Rule {
	cls: PathClass;
	/** Matched against the basename (name rules) or the directory path with a trailing slash (dir rules). */
	re: RegExp;
}

const nameRules: Rule[] = [
	{cls: 'logs', re: /\.log$|\.log\.\d+$|\.log\.(\d+\.)?gz$|\.log-\d{8}(\.gz)?$/},
	{cls: 'database', re: /^(dump\.rdb|appendonly\.aof|appendonly\.aof\.\d+\..*)$|\.(db|sqlite|sqlite3|db-wal|db-shm|sqlite-wal|sqlite-shm)$/},
	{cls: 'crash-dump', re: /^core(\.\d+)?$/},
];

const dirRules: Rule[] = [
	{cls: 'logs', re: /^\/var\/log\//},
	{
		cls: 'package-cache',
		re: /^\/var\/lib\/apt\/lists\/|^\/var\/cache\/(apt|apk|yum|dnf)\/|\/\.cache\/(pip|go-build|yarn)\/|\/\.npm\/|\/\.yarn\/(berry\/)?cache\/|^\/usr\/local\/share\/\.cache\/yarn\/|^\/root\/go\/pkg\/mod\/|\/go\/pkg\/mod\/cache\//,
	},
	{cls: 'temp', re: /^\/(var\/)?tmp\//},
	{cls: 'database', re: /^\/var\/lib\/(mysql|postgresql|pgsql|mongodb|redis|mariadb)\/|\/pgdata\/|\/postgres(ql)?\/data\//},
	{cls: 'crash-dump', re: /^\/var\/(lib\/systemd\/coredump|crash)\//},
];

export interface ClassifyInput {
	/** Absolute path inside the container, e.g. "/var/log/app.log" (raw, not sanitised). */
	path: string;
	kind?: ChangeKind | null;
	isDir?: boolean;
	/** Size of the lower file a C entry replaced. */
	lowerBytes?: number;
}

function matchRules(rules: Rule[], text: string): PathClass | undefined {
	for (const rule of rules) if (rule.re.test(text)) return rule.cls;
	return undefined;
}

/** Class of a directory from its own path: what files directly under it default to. */
export function classifyDir(dirPath: string): PathClass {
	return matchRules(dirRules, dirPath.endsWith('/') ? dirPath : dirPath + '/') ?? 'other';
}

export function classify(input: ClassifyInput, threshold = copyUpThresholdBytes): PathClass {
	if (input.kind === 'D') return 'whiteout';
	if (input.kind === 'C' && !input.isDir && (input.lowerBytes ?? 0) >= threshold) return 'copy-up';
	const slash = input.path.lastIndexOf('/');
	const dir = input.path.slice(0, slash + 1) || '/';
	const base = input.path.slice(slash + 1);
	if (input.isDir) return classifyDir(input.path);
	return matchRules(nameRules, base) ?? classifyDir(dir);
}

/** The one-line explanation of a class, in the words of the container's engine kind when its fix differs (domain/engine-words.ts). */
export function explainClass(cls: PathClass, kind?: EngineKind): string {
	const notes: Partial<Record<string, string>> = wordsFor(kind).classNotes;
	return notes[cls] ?? classExplanations[cls];
}

/** The rules as data, for the walker's worker thread (which cannot import TypeScript). */
export function classRulesForWorker(threshold = copyUpThresholdBytes) {
	const index = (cls: PathClass) => pathClasses.indexOf(cls);
	const encode = (rules: Rule[]) => rules.map(r => ({cls: index(r.cls), re: r.re.source}));
	return {
		classes: [...pathClasses],
		nameRules: encode(nameRules),
		dirRules: encode(dirRules),
		other: index('other'),
		copyUp: index('copy-up'),
		metadataCopyUp: index('metadata-copy-up'),
		whiteout: index('whiteout'),
		copyUpThreshold: threshold,
	};
}

export type WorkerClassRules = ReturnType<typeof classRulesForWorker>;

export interface ClassBytes {
	class: PathClass;
	/** Bytes in the writable layer. */
	bytes: number;
	/** Lower-layer bytes involved: replaced by copy-ups, hidden by whiteouts. */
	lowerBytes: number;
}

/** Per-class totals, largest first, zero classes left out. */
export function summarizeClasses(bytes: readonly number[], lowerBytes: readonly number[] = []): ClassBytes[] {
	return pathClasses
		.map((cls, i) => ({class: cls, bytes: bytes[i] ?? 0, lowerBytes: lowerBytes[i] ?? 0}))
		.filter(c => c.bytes > 0 || c.lowerBytes > 0)
		.sort((a, b) => b.bytes + b.lowerBytes - (a.bytes + a.lowerBytes));
}
