package io.npusim.kernel.drm;

import java.util.TreeMap;

/** A drm_file's GEM handle table: the lowest free handle from 1, as idr_alloc gives it. */
public final class HandleTable {
    private final TreeMap<Integer, GemObject> handles = new TreeMap<>();

    public int add(GemObject o) {
        int h = 1;
        for (int k : handles.keySet()) {
            if (k != h) break;
            h++;
        }
        handles.put(h, o);
        o.addHandle();
        return h;
    }

    public GemObject get(int handle) {
        return handles.get(handle);
    }

    public GemObject remove(int handle) {
        return handles.remove(handle);
    }

    public int size() {
        return handles.size();
    }

    public java.util.Collection<GemObject> objects() {
        return java.util.List.copyOf(handles.values());
    }

    public java.util.Set<Integer> handleSet() {
        return java.util.Set.copyOf(handles.keySet());
    }
}
