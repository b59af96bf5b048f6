import meow from 'meow';
import {describe, expect, it} from 'vitest';
import {consoleFlagKeys, parseCommandArgs, parseConsoleArgs} from '../../source/cli/fast-args.js';
import {flagSpec, helpText} from '../../source/cli/help.js';

/** meow exactly as cli.tsx calls it, on this argv. */
function meowFlags(argv: string[]) {
	const cli = meow(helpText, {importMeta: import.meta, flags: flagSpec, allowUnknownFlags: false, pkg: {name: 'layerscope'}, argv});
	return {input: cli.input, flags: cli.flags};
}

function expectSameAsMeow(argv: string[]): void {
	const fast = parseConsoleArgs(argv);
	expect(fast, `fast parser declined ${JSON.stringify(argv)}`).toBeDefined();
	expect(meowFlags(argv), JSON.stringify(argv)).toStrictEqual({input: [], flags: fast});
}

const accepted: string[][] = [
	[],
	['--debug'],
	['--no-debug'],
	['--debug=true'],
	['--debug=false'],
	['--read-only'],
	['--readOnly'],
	['--no-read-only'],
	['--no-readOnly'],
	['--read-only=false'],
	['--runtime', 'docker'],
	['--runtime=cri'],
	['--runtime', 'auto'],
	['--runtime', 'podman', '--podman-host', 'unix:///run/user/1000/podman/podman.sock'],
	['--podmanHost=unix:///run/podman/podman.sock'],
	['--host', 'unix:///tmp/me-lab/docker/docker.sock'],
	['--host=tcp://127.0.0.1:2375'],
	['--runtime-endpoint', 'unix:///run/containerd/containerd.sock'],
	['--runtimeEndpoint=unix:///x.sock'],
	['--runtime-endpoint', 'a=b'],
	['--timeout', '5'],
	['--timeout=0.5'],
	['--df-timeout', '300'],
	['--dfTimeout=7'],
	['--interval', '.5'],
	['--interval=2'],
	['--interval', '05'],
	['--audit-log', '/tmp/actions.jsonl'],
	['--auditLog=/var/log/x y.jsonl'],
	['--container', 'web-1'],
	['--container', '123'],
	['--container=3f2a9c'],
	['--container', 'true'],
	['--runtime', 'docker', '--host', 'unix:///d.sock', '--timeout', '3', '--df-timeout=9', '--interval', '1', '--read-only', '--audit-log', '/a', '--container', 'c', '--debug', '--runtime-endpoint=unix:///c.sock'],
	['--no-debug', '--readOnly', '--interval=0.2', '--container=web'],
];

const declined: string[][] = [
	['report'],
	['lab', 'up'],
	['guide'],
	['--help'],
	['--version'],
	['--json'],
	['--samples', '3'],
	['--dir', '/tmp/x'],
	['--format', 'json'],
	['-h'],
	['--'],
	['--', '--debug'],
	['--debug', 'true'],
	['--debug', 'report'],
	['--debug=yes'],
	['--no-debug=true'],
	['--no-host'],
	['--runtime', 'lxc'],
	['--runtime=Docker'],
	['--runtime'],
	['--host'],
	['--host='],
	['--host', '--debug'],
	['--host', '"quoted"'],
	['--container', '-x'],
	['--timeout'],
	['--timeout='],
	['--timeout', 'abc'],
	['--timeout', '-5'],
	['--timeout=0x10'],
	['--timeout', '1e3'],
	['--timeout', ' 5 '],
	['--timeout', 'Infinity'],
	['--host', 'x', '--host', 'y'],
	['--df-timeout=3', '--dfTimeout=4'],
	['--debug', '--no-debug'],
	['--unknown'],
	['--read_only'],
	['--Debug'],
	['--runtime.endpoint', 'x'],
];

describe('parseConsoleArgs', () => {
	it('reads the console flags as meow does', () => {
		for (const argv of accepted) expectSameAsMeow(argv);
	});

	it('leaves everything else to meow', () => {
		for (const argv of declined) expect(parseConsoleArgs(argv), JSON.stringify(argv)).toBeUndefined();
	});

	it('names only flags that meow knows, with their meow types', () => {
		for (const key of consoleFlagKeys) expect(flagSpec).toHaveProperty(key);
	});

	it('agrees with meow on every argv it accepts from random combinations', () => {
		const tokens = [
			'--debug',
			'--no-debug',
			'--debug=false',
			'--read-only',
			'--no-readOnly',
			'--readOnly=true',
			'--runtime',
			'docker',
			'cri',
			'podman',
			'lxc',
			'--runtime=auto',
			'--host',
			'unix:///h.sock',
			'--host=',
			'--runtime-endpoint',
			'--runtimeEndpoint=unix:///c',
			'--timeout',
			'3',
			'0.25',
			'-1',
			'--df-timeout',
			'--dfTimeout=12',
			'--interval',
			'.5',
			'x',
			'--audit-log',
			'/tmp/a.jsonl',
			'--auditLog',
			'--container',
			'web',
			'=',
			'--json',
			'report',
			'--',
		];
		let seed = 12_345;
		const random = (below: number) => {
			seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
			return seed % below;
		};
		let agreed = 0;
		for (let run = 0; run < 4000; run++) {
			const argv = Array.from({length: random(6)}, () => tokens[random(tokens.length)]!);
			if (parseConsoleArgs(argv) === undefined) continue;
			expectSameAsMeow(argv);
			agreed++;
		}
		// Enough accepted combinations for the comparison to mean something.
		expect(agreed).toBeGreaterThan(100);
	});
});

// Issue 18: `report` and `plan` take the same path as the console (no meow) for their own flags.
describe('fast parsing of report and plan', () => {
	const same: string[][] = [
		['report'],
		['report', '--json'],
		['report', '--json', '--runtime', 'docker'],
		['report', '--format', 'markdown', '--output', '/tmp/x.md'],
		['report', '--samples', '3', '--interval', '2'],
		['report', '--container', 'web'],
		['plan'],
		['plan', '--json', '--build-cache-older-than', '24h'],
		['plan', '--build-cache-keep=5GB', '--read-only'],
	];
	it.each(same)('%j gives what meow gives', (...argv) => {
		const fast = parseCommandArgs(argv);
		expect(fast, `fast parser declined ${JSON.stringify(argv)}`).toBeDefined();
		expect(meowFlags(argv)).toStrictEqual({input: [argv[0]], flags: fast!.flags});
	});
	it.each([
		['report', 'extra'],
		['report', '--purge'],
		['plan', '--samples', '2'],
		['report', '--json', '--json'],
		['lab', 'up'],
		['report', '--format', 'pdf'],
		['report', '--help'],
	])('%j goes to meow', (...argv) => expect(parseCommandArgs(argv)).toBeUndefined());
});

// `image NAME` too (issue 15: its start-up is part of the analysis time the bench compares with du).
describe('fast parsing of image NAME', () => {
	it.each([
		['image', 'busybox:latest'],
		['image', 'ls-bench/image:100000x10000', '--json', '--source', 'store'],
		['image', 'sha256:abc', '--ci', '--lowest-efficiency', '0.9', '--highest-wasted-bytes', '20MB'],
		['image', 'app', '--ci', '--highest-user-wasted-percent=disabled', '--highest-invisible-bytes', '8MiB', '--ci-config', '/tmp/x.yaml'],
		['image', 'app', '--host', 'unix:///tmp/d.sock', '--timeout', '5', '--no-json'],
	])('%j gives what meow gives', (...argv) => {
		const fast = parseCommandArgs(argv);
		expect(fast, `fast parser declined ${JSON.stringify(argv)}`).toBeDefined();
		expect(fast!.action).toBe(argv[1]);
		expect(meowFlags(argv)).toStrictEqual({input: [argv[0], argv[1]], flags: fast!.flags});
	});
	it.each([['image'], ['image', '--json'], ['image', 'a', 'b'], ['image', 'a', '--samples', '2'], ['image', 'a', '--lowest-efficiency', '-1'], ['image', 'a', '--help']])('%j goes to meow', (...argv) =>
		expect(parseCommandArgs(argv)).toBeUndefined(),
	);
});
