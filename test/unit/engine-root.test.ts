import {expect, it} from 'vitest';
import {engineRootOf} from '../../source/services/image-explorer.js';

it("finds the engine's root from an overlay2 layer directory, and refuses any other shape", () => {
	expect(engineRootOf('/var/lib/docker/overlay2/0123abcd/diff')).toBe('/var/lib/docker');
	expect(engineRootOf('/tmp/lab/docker/root/overlay2/l1/diff')).toBe('/tmp/lab/docker/root');
	expect(() => engineRootOf('/var/lib/docker/overlay/0123abcd/diff')).toThrow(/not <root>\/overlay2/);
	expect(() => engineRootOf('/var/lib/docker/overlay2/0123abcd/merged')).toThrow(/not <root>\/overlay2/);
});
