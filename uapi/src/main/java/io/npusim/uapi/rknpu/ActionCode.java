package io.npusim.uapi.rknpu;

import java.util.Optional;

/**
 * {@code enum e_rknpu_action} (rknpu_ioctl.h 0.9.8): the codes carried in
 * {@code rknpu_action.flags}. What 0.9.8 does with each is the kernel model's business (several
 * are -EINVAL or no-ops on RK3588: SET_FREQ, SET_VOLT, the BW ones, POWER_ON/OFF).
 */
public enum ActionCode {
    GET_HW_VERSION(0),
    GET_DRV_VERSION(1),
    GET_FREQ(2),
    SET_FREQ(3),
    GET_VOLT(4),
    SET_VOLT(5),
    ACT_RESET(6),
    GET_BW_PRIORITY(7),
    SET_BW_PRIORITY(8),
    GET_BW_EXPECT(9),
    SET_BW_EXPECT(10),
    GET_BW_TW(11),
    SET_BW_TW(12),
    ACT_CLR_TOTAL_RW_AMOUNT(13),
    GET_DT_WR_AMOUNT(14),
    GET_DT_RD_AMOUNT(15),
    GET_WT_RD_AMOUNT(16),
    GET_TOTAL_RW_AMOUNT(17),
    GET_IOMMU_EN(18),
    SET_PROC_NICE(19),
    POWER_ON(20),
    POWER_OFF(21),
    GET_TOTAL_SRAM_SIZE(22),
    GET_FREE_SRAM_SIZE(23),
    GET_IOMMU_DOMAIN_ID(24),
    SET_IOMMU_DOMAIN_ID(25);

    private static final ActionCode[] BY_CODE = values();

    private final int code;

    ActionCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The C enumerator name, e.g. "RKNPU_GET_FREQ". */
    public String cName() {
        return "RKNPU_" + name();
    }

    /** The action for a raw {@code flags} value; empty when 0.9.8 defines no such code. */
    public static Optional<ActionCode> fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? Optional.of(BY_CODE[code]) : Optional.empty();
    }
}
