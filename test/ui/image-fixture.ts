import {readFileSync} from 'node:fs';
import type {LoadedImage} from '../../source/services/image-explorer.js';

/** Recorded from the lab by scripts/record-image-fixture.mjs (ls-fx/image:1). */
export const imageFixture = JSON.parse(readFileSync(new URL('../fixtures/image-explorer.json', import.meta.url), 'utf8')) as LoadedImage & {image: string};

/** Services that answer with the recording; `calls` counts the loads. */
export function imageServices(fixture: LoadedImage = imageFixture) {
	const calls: string[] = [];
	return {
		calls,
		services: {
			image: async (image: string) => {
				calls.push(image);
				return fixture;
			},
		},
	};
}
