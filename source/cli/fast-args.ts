import type {Result} from 'meow';
import {flagSpec} from './help.js';

/** What meow returns in `cli.flags` for the layerscope flag spec. */
export type CliFlags = Result<typeof flagSpec>['flags'];
type FlagKey = keyof typeof flagSpec;

/** The flags the console (no subcommand) reads; anything else is left to meow. */
export const consoleFlagKeys = [
	'runtime',
	'host',
	'podmanHost',
	'runtimeEndpoint',
	'timeout',
	'dfTimeout',
	'interval',
	'readOnly',
	'auditLog',
	'container',
	'otherRoot',
	'kubeletRoot',
	'debug',
	'kubeletConfig',
] as const satisfies readonly FlagKey[];

/** The flags `report`, `plan` and `image NAME` read (issue 18: they start from a bundle too, without meow). */
export const commandFlagKeys = {
	report: ['runtime', 'host', 'runtimeEndpoint', 'timeout', 'dfTimeout', 'interval', 'samples', 'json', 'format', 'output', 'readOnly', 'container', 'debug'],
	plan: ['runtime', 'host', 'runtimeEndpoint', 'timeout', 'dfTimeout', 'json', 'buildCacheOlderThan', 'buildCacheKeep', 'readOnly', 'debug', 'kubeletConfig'],
	image: ['runtime', 'host', 'timeout', 'json', 'ci', 'ciConfig', 'lowestEfficiency', 'highestWastedBytes', 'highestUserWastedPercent', 'highestInvisibleBytes', 'source', 'debug'],
} as const satisfies Record<string, readonly FlagKey[]>;

export type FastCommand = keyof typeof commandFlagKeys;

/** `--runtime-endpoint` and `--runtimeEndpoint` both name runtimeEndpoint, as in meow. */
function names(keys: readonly FlagKey[]): Map<string, FlagKey> {
	const byName = new Map<string, FlagKey>();
	for (const key of keys) {
		byName.set(key, key);
		byName.set(
			key.replace(/[A-Z]/g, letter => `-${letter.toLowerCase()}`),
			key,
		);
	}
	return byName;
}
const consoleNames = names(consoleFlagKeys);

/** Plain decimals only: meow (yargs-parser) also takes 0x10, 1e3, " 5 " and "" (as 0); those go to meow. */
const decimal = /^(?:\d+(?:\.\d+)?|\.\d+)$/;

function defaults(): Record<string, unknown> {
	const flags: Record<string, unknown> = {};
	for (const [key, spec] of Object.entries(flagSpec)) if ('default' in spec) flags[key] = spec.default;
	return flags;
}

/** A string or number flag's value, or undefined where meow would do something else than take it as is. */
function flagValue(key: FlagKey, raw: string | undefined): string | number | undefined {
	if (raw === undefined || raw === '' || raw.startsWith('-') || raw.startsWith('"') || raw.startsWith("'")) return undefined;
	const spec = flagSpec[key] as {type: string; choices?: string[]};
	if (spec.type === 'number') return decimal.test(raw) ? Number(raw) : undefined;
	if (spec.choices && !spec.choices.includes(raw)) return undefined;
	return raw;
}

/**
 * The console's command line without meow (whose dependencies cost ≈ 85 ms at load):
 * only `--flag value`, `--flag=value`, `--bool`, `--no-bool` and `--bool=true|false`
 * for the console's own flags, each at most once, with plain values. Returns exactly
 * what meow's `cli.flags` would be (defaults included), or undefined for anything else
 * (subcommands, --help, --version, other flags, repeats, odd or invalid values), which
 * then goes to meow for its parsing, its errors and its exit codes.
 */
export function parseConsoleArgs(argv: readonly string[]): CliFlags | undefined {
	return parseFlags(argv, consoleNames);
}

/**
 * `report …`, `plan …` and `image NAME …` with only their own flags, as parseConsoleArgs does for
 * the console; undefined for anything else. `action`: the image's NAME (a plain word, not a flag).
 */
export function parseCommandArgs(argv: readonly string[]): {command: FastCommand; action?: string; flags: CliFlags} | undefined {
	const command = argv[0];
	if (command !== 'report' && command !== 'plan' && command !== 'image') return undefined;
	if (command === 'image') {
		const name = argv[1];
		if (name === undefined || name === '' || name.startsWith('-')) return undefined;
		const flags = parseFlags(argv.slice(2), names(commandFlagKeys.image));
		return flags && {command, action: name, flags};
	}
	const flags = parseFlags(argv.slice(1), names(commandFlagKeys[command]));
	return flags && {command, flags};
}

function parseFlags(argv: readonly string[], byName: Map<string, FlagKey>): CliFlags | undefined {
	const flags = defaults();
	const seen = new Set<FlagKey>();
	for (let index = 0; index < argv.length; index++) {
		const arg = argv[index]!;
		if (!arg.startsWith('--') || arg === '--') return undefined;
		const equals = arg.indexOf('=');
		const name = equals === -1 ? arg.slice(2) : arg.slice(2, equals);
		const inline = equals === -1 ? undefined : arg.slice(equals + 1);
		let key = byName.get(name);
		const negated = key === undefined && name.startsWith('no-');
		if (negated) key = byName.get(name.slice(3));
		if (key === undefined || seen.has(key)) return undefined;
		seen.add(key);
		if (flagSpec[key].type === 'boolean') {
			if (inline === undefined) flags[key] = !negated;
			else if (!negated && (inline === 'true' || inline === 'false')) flags[key] = inline === 'true';
			else return undefined;
			continue;
		}
		if (negated) return undefined;
		const value = flagValue(key, inline ?? argv[++index]);
		if (value === undefined) return undefined;
		flags[key] = value;
	}
	return flags as CliFlags;
}
