import {afterEach, describe, expect, it} from 'vitest';
import {stringWidth} from '../../source/domain/text-width.js';
import {ImageExplorer} from '../../source/ui/screens/image-explorer.js';
import {keys, plain, renderAt, until} from '../helpers/render.js';
import {imageFixture, imageServices} from './image-fixture.js';

const size = {columns: 80, rows: 24};
let cleanup: Array<() => void> = [];
afterEach(() => {
	for (const c of cleanup) c();
	cleanup = [];
});

function mount(extra: {onLeave?: () => void; services?: ReturnType<typeof imageServices>['services']} = {}) {
	const {services, calls} = imageServices();
	const r = renderAt(<ImageExplorer image={imageFixture.image} services={extra.services ?? services} width={size.columns} height={size.rows - 1} onLeave={extra.onLeave ?? (() => {})} />, size);
	cleanup.push(() => r.unmount());
	const frame = () => plain(r.lastFrame());
	return {...r, frame, calls, see: (re: RegExp) => until(() => re.test(frame()))};
}

const lines = (frame: string) => frame.split('\n');

describe('image explorer screen (recorded from the lab)', () => {
	it("shows dive's figures and the invisible bytes in the header, the layers and the first layer's tree, within 80x24", async () => {
		const s = mount();
		await s.see(/efficiency/);
		const f = s.frame();
		const report = imageFixture.report;
		expect(f).toContain(`efficiency ${(report.efficiency * 100).toFixed(1)}%`);
		expect(f).toMatch(/wasted 3\.\d MB/);
		expect(f).toMatch(/invisible 3\.\d MB/);
		expect(f).toMatch(/Layer 0\/5 {2}its changes/);
		expect(f).toMatch(/›\s*0 +1\.\d MB \(base\)/);
		expect(f).toMatch(/A +[\d.]+ [kM]B +\d+% +\d+ bin\//);
		expect(lines(f).length).toBeLessThanOrEqual(23);
		for (const line of lines(f)) expect(stringWidth(line)).toBeLessThanOrEqual(80);
	});

	it('steps to later layers with ] and shows M and D marks; t aggregates up to the layer', async () => {
		const s = mount();
		await s.see(/Layer 0\//);
		await s.press(']]]]');
		await s.see(/Layer 4\/5/);
		await s.see(/M +100 kB +100% +2 opt\//);
		await s.press(']');
		await s.see(/Layer 5\/5/);
		await s.see(/M +3\.\d MB .* srv\//);
		await s.see(/A +3 B .* w\//);
		await s.press('t');
		await s.see(/aggregated up to it/);
		await s.see(/ bin\//);
		await s.press('[');
		await s.see(/Layer 4\/5 {2}aggregated/);
	});

	it('goes into directories and out again, Back at the root leaves', async () => {
		let left = 0;
		const s = mount({onLeave: () => left++});
		await s.see(/Layer 0\//);
		await s.press(']]]]]');
		await s.see(/Layer 5\/5/);
		for (let i = 0; i < 10 && !/› M .* srv\//.test(s.frame()); i++) await s.press('j');
		await s.press(keys.enter);
		await s.see(/ \/srv$/m);
		await s.see(/D +3\.\d MB .* big\.bin/);
		await s.press(keys.escape);
		await s.see(/Layer 5\/5 {2}its changes .* \/$/m);
		await s.press(keys.escape);
		await until(() => left === 1);
	});

	it('escapes hostile names', async () => {
		const s = mount();
		await s.see(/Layer 0\//);
		await s.press(']]]]]');
		await s.see(/Layer 5\/5/);
		for (let i = 0; i < 10 && !/› A .* w\//.test(s.frame()); i++) await s.press('j');
		await s.press(keys.enter);
		await s.see(/title/);
		const raw = s.lastFrame();
		expect(raw).not.toMatch(/\u001B\]0;|\u0007|\u001B\[31m(?!.*\u001B\[39m)/);
		expect(s.frame()).toMatch(/title\\u\{1b\}|title\\x1b|title\S*pwned/);
	});

	it("says plainly why a CRI container's image cannot be explored", async () => {
		const r = renderAt(
			<ImageExplorer image={null} note="containerd is a CRI engine: the CRI API gives an image's size and digests, not its layers' files" services={imageServices().services} width={80} height={23} onLeave={() => {}} />,
			size,
		);
		cleanup.push(() => r.unmount());
		await until(() => /CRI API gives an image's size/.test(plain(r.lastFrame())));
	});

	it('says so when the image cannot be read', async () => {
		const s = mount({services: {image: async () => Promise.reject(Object.assign(new Error('no image named x'), {hint: 'docker images lists them'}))}});
		await s.see(/cannot read the image: no image named x \(hint: docker images lists them\)/);
	});
});
