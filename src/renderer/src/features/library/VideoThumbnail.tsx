/** A video's thumbnail, fetched (as a data: URL) only once its row scrolls into view; a placeholder when it has none. */
import { Center, Image, Loader } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { Icon } from '../../components/icons';
import { useAppStore, useStores } from '../../stores/stores-context';

const SIZES = { normal: { WIDTH: 96, HEIGHT: 54 }, small: { WIDTH: 56, HEIGHT: 32 } } as const;

export interface VideoThumbnailProps {
  readonly videoId: string;
  readonly title: string;
  readonly hasThumbnail: boolean;
  /** small: in pickers and compact rows. */
  readonly size?: keyof typeof SIZES;
}

export function VideoThumbnail({ videoId, title, hasThumbnail, size = 'normal' }: VideoThumbnailProps) {
  const { WIDTH, HEIGHT } = SIZES[size];
  const { library } = useStores();
  const thumb = useAppStore('library', (s) => s.thumbnails[videoId]);
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    // a video without a thumbnail file is not asked for one (the answer would be 404)
    if (thumb || !hasThumbnail) return;
    const el = ref.current;
    if (!el || typeof IntersectionObserver === 'undefined') {
      library.getState().loadThumbnail(videoId);
      return;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          observer.disconnect();
          library.getState().loadThumbnail(videoId);
        }
      },
      { rootMargin: '200px' },
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, [thumb, videoId, library, hasThumbnail]);

  const box = { width: WIDTH, height: HEIGHT, borderRadius: 4, background: 'var(--mantine-color-default-hover)', overflow: 'hidden' } as const;
  if (thumb?.status === 'ready') return <Image src={thumb.url} alt={`Thumbnail of ${title}`} w={WIDTH} h={HEIGHT} fit="cover" radius={4} />;
  return (
    <Center ref={ref} style={box} c="dimmed" title={!hasThumbnail || thumb?.status === 'none' ? 'No thumbnail yet' : thumb?.status === 'error' ? thumb.message : undefined} aria-label={!hasThumbnail || thumb?.status === 'none' ? 'No thumbnail' : undefined}>
      {thumb?.status === 'loading' ? <Loader size="xs" /> : <Icon name="film" size={size === 'small' ? 16 : 22} />}
    </Center>
  );
}
