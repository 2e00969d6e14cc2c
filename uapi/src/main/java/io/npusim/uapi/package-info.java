/**
 * The UAPI of each modelled driver: ioctl structs as records with codecs matching the C layouts,
 * flags and errno. Sub-packages: {@code os} (the syscall boundary a runtime uses), one package
 * per driver.
 */
package io.npusim.uapi;
