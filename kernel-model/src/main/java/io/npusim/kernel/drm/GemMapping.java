package io.npusim.kernel.drm;

import io.npusim.uapi.os.UserMapping;

/** The CPU mapping of a GEM object's DDR pages: what userspace writes lands in the region. */
public final class GemMapping implements UserMapping {
    private final GemObject obj;

    public GemMapping(GemObject obj) {
        this.obj = obj;
    }

    public GemObject object() {
        return obj;
    }

    @Override
    public long length() {
        return obj.size();
    }

    @Override
    public void put(long offset, Object content) {
        obj.region().put(offset, content);
    }

    @Override
    public Object get(long offset) {
        return obj.region().get(offset);
    }
}
