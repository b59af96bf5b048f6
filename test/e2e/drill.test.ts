import {execFileSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cliPath} from '../helpers/cli.js';
import {lab, labDocker, runContainer, waitFor} from '../helpers/lab.js';

/**
 * The drill-down in tmux at 80×24 against the private dockerd, on a layer built to hurt a
 * terminal: a symlink loop, an unreadable directory, names with escape sequences (an OSC
 * title sequence among them) and invalid UTF-8.
 */
const socket = `ls-e2e-drill-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('/usr/bin/tmux', ['-L', socket, ...args], {encoding: 'utf8'});
const screen = () => tmux('capture-pane', '-p', '-t', 'drill');
const paneTitle = () => tmux('display-message', '-p', '-t', 'drill', '#{pane_title}').trim();
const keys = (...k: string[]) => tmux('send-keys', '-t', 'drill', ...k);
const shows = (what: string, probe: (text: string) => boolean) => waitFor(what, async () => probe(screen()), 20_000);

const script = [
	'mkdir -p /w/locked && echo secret > /w/locked/s && chmod 000 /w/locked',
	'ln -s loop /w/loop && ln -s /w/b /w/a && ln -s /w/a /w/b && ln -s / /w/rootlink',
	`printf x > "/w/$(printf 'title\\033]0;pwned\\007')"`,
	`printf y > "/w/$(printf 'bad\\377\\376name')"`,
	`mkdir "/w/$(printf 'dir\\033[31m')" && echo z > "/w/$(printf 'dir\\033[31m')/inner"`,
	'dd if=/dev/zero of=/w/big bs=1k count=64 2>/dev/null',
	'touch /w/done && sleep 3600',
].join(' && ');

describe('drill-down in a terminal (tmux 80×24)', () => {
	const docker = labDocker();
	let titleBefore = '';

	beforeAll(async () => {
		if (!existsSync(cliPath)) execFileSync('npm', ['run', 'build'], {stdio: 'ignore'});
		const id = await runContainer(docker, 'ls-e2e-drill', script);
		await waitFor('the layer to be written', async () => {
			const changes = (await docker.getContainer(id).changes()) as Array<{Path: string}> | null;
			return (changes ?? []).some(c => c.Path === '/w/done');
		});
		tmux('new-session', '-d', '-s', 'drill', '-x', '80', '-y', '24', '-e', `DOCKER_HOST=${lab().dockerHost}`, `${process.execPath} ${cliPath} --container ls-e2e-drill --interval 2; echo "exit=$?"; sleep 600`);
		titleBefore = paneTitle();
	});

	afterAll(async () => {
		try {
			tmux('kill-server');
		} catch {}
		await docker
			.getContainer('ls-e2e-drill')
			.remove({force: true})
			.catch(() => {});
	});

	it('opens straight into the tree with --container', async () => {
		await shows('the drill-down of ls-e2e-drill', t => t.includes('Writable layer of ls-e2e-drill') && t.includes('walked on the host'));
		const text = screen();
		expect(text).toMatch(/^› A .* w\/\s*$/m);
		expect(text).toContain('Bytes per class');
		for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
	});

	it('renders hostile names escaped and leaves the pane title alone', async () => {
		keys('Enter');
		await shows('the /w directory', t => /^\/w +sizes/m.test(t));
		const text = screen();
		expect(text).toContain('title\\e]0;pwned\\x07');
		expect(text).toContain('bad\\xff\\xfename');
		expect(text).toContain('dir\\e[31m/');
		expect(text).toContain('loop@');
		expect(text).toContain('locked/');
		expect(text).not.toContain('pwned\n');
		expect(paneTitle()).toBe(titleBefore);
		expect(paneTitle()).not.toContain('pwned');
	});

	it('stays navigable: into the escaped directory and out again', async () => {
		for (let i = 0; i < 12 && !/^› .*dir\\e\[31m\/\s*$/m.test(screen()); i++) {
			keys('j');
			await new Promise(r => setTimeout(r, 150));
		}
		expect(screen()).toMatch(/^› .*dir\\e\[31m\/\s*$/m);
		keys('Enter');
		await shows('the escaped directory', t => /^\/w\/dir\\e\[31m +sizes/m.test(t) && t.includes('inner'));
		keys('h');
		await shows('/w again', t => /^\/w +sizes/m.test(t));
		keys('BSpace');
		await shows('the layer root', t => /^\/ +sizes/m.test(t));
		keys('b');
		await shows('apparent sizes', t => t.includes('sizes: apparent'));
		keys('Escape');
		await shows('the detail panel', t => t.includes('log path'));
		expect(paneTitle()).toBe(titleBefore);
	});

	it('quits cleanly and the title never changed', async () => {
		keys('q');
		await shows('the CLI to exit', t => t.includes('exit=0'));
		expect(paneTitle()).toBe(titleBefore);
	});
});
