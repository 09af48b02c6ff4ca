/* SPDX-License-Identifier: GPL-2.0 */
/* sriovctl: loading a driver's module. */
#ifndef SRIOVCTL_MODPROBE_H
#define SRIOVCTL_MODPROBE_H

/*
 * Run "modprobe DRV" (the program is $SRIOVCTL_MODPROBE if set).  Returns
 * its exit status, or -errno when it could not be run.
 */
int modprobe_run(const char *prog, const char *drv);

/* The modprobe program to run: $SRIOVCTL_MODPROBE or "modprobe". */
const char *modprobe_prog(void);

#endif
