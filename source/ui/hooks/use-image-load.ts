import {useEffect, useState} from 'react';
import type {LoadedImage} from '../../services/image-explorer.js';
import type {ConsoleServices} from '../../services/console-services.js';

export type ImageLoad = {status: 'loading'} | {status: 'done'; image: LoadedImage} | {status: 'failed'; message: string} | {status: 'unavailable'};

const oneLine = (error: unknown) => {
	const e = error as {message?: string; hint?: string} | null;
	return (e?.message ?? String(error)).split('\n')[0]! + (e?.hint ? ` (hint: ${e.hint})` : '');
};

/** Loads one image through services.image while the view is mounted; leaving aborts the walk. */
export function useImageLoad(services: Pick<ConsoleServices, 'image'> | undefined, image: string | null | undefined, generation = 0): ImageLoad {
	const [load, setLoad] = useState<ImageLoad>(() => (services?.image && image ? {status: 'loading'} : {status: 'unavailable'}));
	useEffect(() => {
		if (!services?.image || !image) return;
		const controller = new AbortController();
		setLoad({status: 'loading'});
		services.image(image, {signal: controller.signal}).then(
			loaded => !controller.signal.aborted && setLoad({status: 'done', image: loaded}),
			error => !controller.signal.aborted && setLoad({status: 'failed', message: oneLine(error)}),
		);
		return () => controller.abort();
	}, [services, image, generation]);
	return load;
}
