import {execFile, execFileSync, spawn} from 'node:child_process';
import {once} from 'node:events';
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {expect, it} from 'vitest';
// @ts-expect-error plain .mjs build script without types
import {EXECUTABLE, newestInput, versionString} from '../../scripts/sea-build-info.mjs';
import {busybox, lab, labDocker, runContainer, waitFor} from '../helpers/lab.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const exe = join(root, EXECUTABLE as string);
const cliJs = join(root, 'dist/cli.js');
const tmuxBin = execFileSync('sh', ['-c', 'command -v tmux'], {encoding: 'utf8'}).trim();

type Run = {code: number; stdout: string; stderr: string};
function run(file: string, args: string[], env: NodeJS.ProcessEnv, timeout = 120_000): Promise<Run> {
	return new Promise(resolve => {
		execFile(file, args, {cwd: root, env, timeout, maxBuffer: 64 << 20}, (error, stdout, stderr) => {
			resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr});
		});
	});
}

/** A directory of links to every system command except node and its package managers: a node without Node.js. */
function noNodePath(bin: string): string {
	mkdirSync(bin);
	const linked = new Set<string>();
	for (const dir of ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin']) {
		if (!existsSync(dir)) continue;
		for (const name of readdirSync(dir)) {
			if (/^(node|nodejs|npm|npx|corepack)$/.test(name) || linked.has(name)) continue;
			linked.add(name);
			symlinkSync(join(dir, name), join(bin, name));
		}
	}
	return bin;
}

/** Builds release/layerscope-linux-x64 unless it is newer than every input and names the current commit. */
async function ensureExecutable(version: string): Promise<void> {
	const fresh = existsSync(exe) && statSync(exe).mtimeMs > newestInput(root) && execFileSync(exe, ['--version'], {encoding: 'utf8'}).trim() === version;
	if (fresh) return;
	const built = await run(process.execPath, ['scripts/package.mjs'], process.env, 600_000);
	expect(built.stderr, 'npm run package').toBe('');
	expect(built.code).toBe(0);
}

/** Only what the figures may legitimately change between two runs a second apart. */
function stable(report: any) {
	const fs = ({path, sizeBytes, inodesTotal}: any) => ({path, sizeBytes, inodesTotal});
	return {
		keys: Object.keys(report).sort(),
		schemaVersion: report.schemaVersion,
		runtime: report.runtime,
		runtimes: report.runtimes?.map((r: any) => ({...r, filesystem: r.filesystem && fs(r.filesystem)})),
		filesystem: fs(report.filesystem),
		sizing: report.sizing,
		warnings: report.warnings,
		containers: report.containers.map(({id, name, image, state}: any) => ({id, name, image, state})),
		counts: Object.fromEntries(Object.entries(report.ledger).map(([k, v]: [string, any]) => [k, v.count])),
		ledger: Object.fromEntries(['imagesInUse', 'unusedImages', 'danglingImages', 'buildCache', 'volumes'].map(k => [k, report.ledger[k]])),
	};
}

/**
 * Runs the console in a pseudo-terminal of a private tmux server, presses q, and reads the
 * terminal state the console left behind (the shell then prints its exit code and waits).
 */
async function consoleInTmux(env: NodeJS.ProcessEnv, expectOnScreen: string) {
	const socket = `ls-sea-${process.pid}`;
	const tmux = (...args: string[]) => execFileSync(tmuxBin, ['-L', socket, '-f', '/dev/null', ...args], {env, encoding: 'utf8'}).trim();
	const screen = () => tmux('capture-pane', '-p', '-t', 'sea');
	const state = () => {
		const [alt, cursor, mouse] = tmux('display', '-p', '-t', 'sea', '#{alternate_on} #{cursor_flag} #{mouse_any_flag}').split(' ');
		return {alt: alt === '1', cursor: cursor === '1', mouse: mouse === '1'};
	};
	try {
		tmux('new-session', '-d', '-s', 'sea', '-x', '120', '-y', '40', `${exe}; echo "layerscope-exit=$?"; read _`);
		await waitFor(`the console to show ${expectOnScreen} in the alternate screen`, async () => state().alt && screen().includes(expectOnScreen), 60_000);
		const drawn = screen();
		tmux('send-keys', '-t', 'sea', 'q');
		const exit = await waitFor('the console to quit on q', async () => /layerscope-exit=(\d+)/.exec(screen())?.[1], 30_000);
		return {drawn, exit: Number(exit), after: state(), screen: screen()};
	} finally {
		try {
			tmux('kill-server');
		} catch {}
	}
}

it('ships one executable that behaves as node dist/cli.js without node on PATH', {timeout: 900_000}, async () => {
	const version = versionString(root) as string;
	await ensureExecutable(version);
	const dir = mkdtempSync(join(tmpdir(), 'ls-sea-'));
	try {
		const bin = noNodePath(join(dir, 'bin'));
		const {dockerHost, criEndpoint, dir: labDir} = lab();
		// The same environment for both; dist/cli.js is started by node's absolute path.
		const env = {PATH: bin, HOME: dir, TERM: 'xterm-256color', DOCKER_HOST: dockerHost, CONTAINER_RUNTIME_ENDPOINT: criEndpoint};
		expect(execFileSync('sh', ['-c', 'command -v node || echo none'], {env, encoding: 'utf8'}).trim()).toBe('none');
		await runContainer(labDocker(), 'ls-sea-writer', 'dd if=/dev/zero of=/blob bs=64k count=16 && sleep 600', {image: busybox});

		expect((await run(exe, ['--version'], env)).stdout.trim()).toBe(version);
		expect(version.startsWith(`${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version} (`)).toBe(true);
		const help = [await run(exe, ['--help'], env), await run(process.execPath, [cliJs, '--help'], env)];
		expect(help[0]).toEqual(help[1]);
		const labEnv = [await run(exe, ['lab', 'env', '--dir', labDir], env), await run(process.execPath, [cliJs, 'lab', 'env', '--dir', labDir], env)];
		expect(labEnv[0]).toEqual(labEnv[1]);
		expect(labEnv[0].stdout).toContain(dockerHost);

		const sea = await run(exe, ['report', '--json'], env);
		const node = await run(process.execPath, [cliJs, 'report', '--json'], env);
		expect(sea.stderr).toBe(node.stderr);
		expect(sea.code).toBe(0);
		expect(node.code).toBe(0);
		const [a, b] = [JSON.parse(sea.stdout), JSON.parse(node.stdout)];
		expect(stable(a)).toEqual(stable(b));
		// The executable saved a code cache for report's run (scripts/sea-main.cjs), which the next run uses.
		expect(readdirSync(join(dir, '.cache', 'layerscope')).filter(name => /^sea-.*-report\.v8$/.test(name))).toHaveLength(1);
		const again = await run(exe, ['report', '--json'], env);
		expect(again.code).toBe(0);
		expect(stable(JSON.parse(again.stdout))).toEqual(stable(b));
		expect(a.containers.some((c: any) => c.name === 'ls-sea-writer' && c.writableBytes > 0)).toBe(true);

		const shown = await consoleInTmux(env, 'ls-sea-writer');
		expect(shown.exit).toBe(0);
		// Back on the main screen with a visible cursor and no mouse reporting; nothing else printed.
		expect(shown.after).toEqual({alt: false, cursor: true, mouse: false});
		expect(shown.screen.trim()).toBe('layerscope-exit=0');

		// The exporter runs its service on a worker thread: inside the executable, that thread
		// runs the executable's own embedded bundle (cli/run-exporter.ts).
		const exporter = spawn(exe, ['exporter', '--listen', '127.0.0.1:0', '--runtime', 'docker', '--interval', '2'], {env, stdio: ['ignore', 'ignore', 'pipe']});
		let stderr = '';
		exporter.stderr.on('data', chunk => (stderr += chunk));
		const exited = once(exporter, 'exit');
		try {
			const address = await waitFor("the executable's exporter to listen", async () => {
				if (exporter.exitCode !== null) throw new Error(`exporter exited ${exporter.exitCode}: ${stderr}`);
				return /http:\/\/(127\.0\.0\.1:\d+)\/metrics/.exec(stderr)?.[1];
			});
			const metrics = await waitFor('ls-sea-writer and both threads in /metrics', async () => {
				const text = await (await fetch(`http://${address}/metrics`)).text();
				const ready = /^layerscope_container_writable_bytes\{[^\n]*container="ls-sea-writer"[^\n]* [1-9]/m.test(text) && text.includes('thread="service"') && text.includes('thread="walker0"');
				return ready ? text : undefined;
			});
			expect(metrics).toMatch(/^layerscope_engine_up\{engine="docker"[^\n]*\} 1$/m);
		} finally {
			exporter.kill('SIGTERM');
		}
		expect(await exited).toEqual([0, null]);
	} finally {
		await labDocker()
			.getContainer('ls-sea-writer')
			.remove({force: true})
			.catch(() => {});
		rmSync(dir, {recursive: true, force: true});
	}
});
