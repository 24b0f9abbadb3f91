// Imported by the Workbox service worker (sw.js): deletes the caches of the hand-written service worker that
// came before it (named lsm-lab-<version>), which Workbox's own clean-up does not know about.
self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((key) => /^lsm-lab-[0-9a-z]+$/.test(key)).map((key) => caches.delete(key))),
      ),
  );
});
