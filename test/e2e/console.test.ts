import {execFileSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cliPath, runCli} from '../helpers/cli.js';
import {lab, labDocker, runContainer, waitFor as poll} from '../helpers/lab.js';

/** The real CLI in tmux at 80×24 against the private dockerd, as an SSHed engineer would see it. */
const socket = `ls-e2e-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('/usr/bin/tmux', ['-L', socket, ...args], {encoding: 'utf8'});
const screen = () => tmux('capture-pane', '-p', '-t', 'console');
/** Polls with the screen in the error, so a timeout shows what the operator would have seen. */
const waitFor = <T>(what: string, probe: () => Promise<T | undefined | false>, ms?: number) => poll(what, probe, ms, screen);
const paneFlag = (flag: string) => tmux('display-message', '-p', '-t', 'console', `#{${flag}}`).trim();

describe('console in a terminal (tmux 80×24)', () => {
	const docker = labDocker();

	beforeAll(async () => {
		if (!existsSync(cliPath)) execFileSync('npm', ['run', 'build'], {stdio: 'ignore'});
		await runContainer(docker, 'ls-e2e-grower', 'while true; do dd if=/dev/zero bs=1M count=1 2>/dev/null >> /growing; sleep 1; done');
		await runContainer(docker, 'ls-e2e-idle-big', 'dd if=/dev/zero of=/big bs=1M count=40 2>/dev/null; sleep 3600');
		await waitFor('the idle container to finish writing', async () => {
			const info: any = await docker.getContainer('ls-e2e-idle-big').inspect({size: true} as never);
			return info.SizeRw >= 40 * 1024 * 1024;
		});
		const env = `DOCKER_HOST=${lab().dockerHost}`;
		// `; sleep` keeps the pane after the CLI exits so the terminal state can be inspected.
		tmux('new-session', '-d', '-s', 'console', '-x', '80', '-y', '24', '-e', env, `${process.execPath} ${cliPath} --interval 1; echo "exit=$?"; sleep 600`);
	});

	afterAll(async () => {
		try {
			tmux('kill-server');
		} catch {}
		await docker
			.getContainer('ls-e2e-grower')
			.remove({force: true})
			.catch(() => {});
		await docker
			.getContainer('ls-e2e-idle-big')
			.remove({force: true})
			.catch(() => {});
	});

	it('uses the alternate screen and ranks the growing container first', async () => {
		const rows = await waitFor(
			'the growing container at the top of the table',
			async () => {
				const lines = screen().split('\n');
				const header = lines.findIndex(l => /NAME\s+STATE/.test(l));
				const first = lines.slice(header + 1).find(l => /^[› ] ls-e2e-/.test(l));
				return first?.includes('ls-e2e-grower') && /\+\d/.test(first) ? lines : undefined;
			},
			90_000,
		);
		expect(paneFlag('alternate_on')).toBe('1');
		const text = rows.join('\n');
		expect(text).toContain('Where the bytes live');
		expect(text).toContain('Other files on this filesystem');
		expect(text).toMatch(/disk .*%/);
		expect(text).toMatch(/eviction (in \S+|now)/);
		// The idle one is bigger but ranked below.
		const order = rows.filter(l => /^[› ] ls-e2e-/.test(l)).map(l => l.slice(2).split(/\s+/)[0]);
		expect(order[0]).toBe('ls-e2e-grower');
		// With many containers from other tests the idle one may be below the fold; when shown, it is below.
		if (order.includes('ls-e2e-idle-big')) expect(order.indexOf('ls-e2e-grower')).toBeLessThan(order.indexOf('ls-e2e-idle-big'));
		for (const line of rows) expect(line.length).toBeLessThanOrEqual(80);
	});

	it('shows the help with ? and closes it again', async () => {
		tmux('send-keys', '-t', 'console', '?');
		await waitFor('the help overlay', async () => screen().includes('this help'), 10_000);
		const help = screen();
		expect(help).toContain('quit');
		expect(help).toContain('sort: growth, writable, logs, name');
		tmux('send-keys', '-t', 'console', 'Escape');
		await waitFor('the overview again', async () => screen().includes('Where the bytes live'), 10_000);
	});

	it('opens the detail panel with Enter', async () => {
		tmux('send-keys', '-t', 'console', 'Home', 'Enter');
		await waitFor('the detail panel', async () => screen().includes('log path'), 10_000);
		tmux('send-keys', '-t', 'console', 'Escape');
		await waitFor('the overview again', async () => screen().includes('Where the bytes live'), 10_000);
	});

	it('quits with q and leaves a clean terminal', async () => {
		tmux('send-keys', '-t', 'console', 'q');
		await waitFor('the CLI to exit', async () => screen().includes('exit=0'), 10_000);
		expect(paneFlag('alternate_on')).toBe('0');
		expect(paneFlag('cursor_flag')).toBe('1');
		expect(screen()).not.toContain('Where the bytes live');
	});

	it('prints a hint and exits 2 without a terminal', async () => {
		const result = await runCli([], {DOCKER_HOST: lab().dockerHost});
		expect(result.code).toBe(2);
		expect(result.stderr.trim()).toBe('layerscope: the console needs a terminal (hint: use `layerscope report` (or report --json) for scripts)');
	});
});

describe('console restores the terminal on signals', () => {
	for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
		it(`on ${signal}`, async () => {
			const name = `sig-${signal}`;
			// A tmux server of its own: killing the last session of a shared server ends that
			// server, and the next test's new-session could race its shutdown.
			const tmux = (...args: string[]) => execFileSync('/usr/bin/tmux', ['-L', `${socket}-${signal}`, ...args], {encoding: 'utf8'});
			const pidFile = join(tmpdir(), `${socket}-${signal}.pid`);
			tmux('new-session', '-d', '-s', name, '-x', '80', '-y', '24', '-e', `DOCKER_HOST=${lab().dockerHost}`, `sh -c 'echo $$ > ${pidFile}; exec ${process.execPath} ${cliPath}'; echo "exit=$?"; sleep 600`);
			const pane = () => tmux('capture-pane', '-p', '-t', name);
			const flag = (f: string) => tmux('display-message', '-p', '-t', name, `#{${f}}`).trim();
			await waitFor('the console', async () => flag('alternate_on') === '1' && pane().includes('layerscope'), 30_000);
			const pid = Number(readFileSync(pidFile, 'utf8').trim());
			expect(pid).toBeGreaterThan(0);
			process.kill(pid, signal);
			await waitFor('the CLI to exit', async () => /exit=\d+/.test(pane()), 10_000);
			expect(flag('alternate_on')).toBe('0');
			expect(flag('cursor_flag')).toBe('1');
			expect(pane()).not.toContain('Assertion failed');
			tmux('kill-server');
		});
	}
});
