// SPDX-License-Identifier: GPL-2.0
/*
 * pci-stub-pf - a stub driver for SR-IOV physical functions
 *
 * Some SR-IOV devices have a physical function (PF) that needs no driver
 * of its own: firmware partitions the device and the PF only hosts the
 * SR-IOV capability.  The PCI core still wants a driver bound to the PF
 * before it lets user space create virtual functions (VFs), so this
 * driver binds such PFs, creates and removes VFs on request, and keeps
 * the host's hands off everything else.  Unlike pci-pf-stub it refuses to
 * yank VFs that are in use, lets the operator lock the VF count, keeps VFs
 * across unbind when they are locked or bound, and restores VFs that a
 * device drops on a PF reset.
 *
 * Bind a PF with no table entry and create four VFs, locked:
 *
 *   # echo pci-stub-pf > /sys/bus/pci/devices/0000:01:00.0/driver_override
 *   # echo 0000:01:00.0 > /sys/bus/pci/drivers_probe
 *   # echo 4 > /sys/bus/pci/devices/0000:01:00.0/sriov_numvfs
 *   # echo locked > /sys/bus/pci/devices/0000:01:00.0/sriov_lock
 *
 * or bind every PF with a given ID at load: modprobe pci-stub-pf ids=1b36:0010
 * (the pci-stub grammar), or later: echo "1b36 0010" > .../new_id.
 *
 * Nothing the kernel knows runs on the VFs' behalf, so enabling VFs taints
 * the kernel with TAINT_USER: bug reports then show that user space shaped
 * the device.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/delay.h>

#include "pci-stub-pf-compat.h"

#define DRIVER_NAME "pci-stub-pf"

/* Kept after init so that /sys/module/pci_stub_pf/parameters/ids reads back. */
static char ids[1024];
module_param_string(ids, ids, sizeof(ids), 0444);
MODULE_PARM_DESC(ids,
		 "Extra PCI IDs to bind at load, comma-separated, each \"vendor:device[:subvendor[:subdevice[:class[:class_mask]]]]\" in hex; a malformed entry is logged and skipped [default: none]");

static bool lock_on_enable;
module_param(lock_on_enable, bool, 0644);
MODULE_PARM_DESC(lock_on_enable,
		 "Lock the VF count right after every successful enable (bool) [default: N]");

static unsigned int max_vfs;
module_param(max_vfs, uint, 0444);
MODULE_PARM_DESC(max_vfs,
		 "Cap sriov_totalvfs of every PF bound from now on (uint, 0 = no cap) [default: 0]");

static bool enable_pf;
module_param(enable_pf, bool, 0444);
MODULE_PARM_DESC(enable_pf,
		 "Enable the PF (memory decoding and bus mastering) at probe, for devices whose VFs need it (bool) [default: N]");

enum pci_stub_pf_lock {
	PCI_STUB_PF_UNLOCKED,
	PCI_STUB_PF_LOCKED,
	PCI_STUB_PF_SEALED,
};

static const char * const pci_stub_pf_lock_names[] = {
	[PCI_STUB_PF_UNLOCKED] = "unlocked",
	[PCI_STUB_PF_LOCKED] = "locked",
	[PCI_STUB_PF_SEALED] = "sealed",
};

/* The SR-IOV registers as they were while the VFs were known to be alive. */
struct pci_stub_pf_sriov_regs {
	u16 ctrl;
	u16 num_vfs;
	u32 pgsz;
	u32 bar[PCI_SRIOV_NUM_BARS];
};

struct pci_stub_pf {
	struct pci_dev *pdev;
	/*
	 * Serialises the lock state, VF changes and the register snapshot.
	 * Taken inside the PF's device lock on every path that holds it.
	 * The snapshot is written only under the device lock too, so that
	 * slot_reset, called under pci_bus_sem, reads it without the mutex.
	 */
	struct mutex mutex;
	enum pci_stub_pf_lock lock;
	int sriov_pos;
	struct pci_stub_pf_sriov_regs regs;
};

static const struct pci_device_id pci_stub_pf_ids[] = {
	/* Amazon Elastic Network Adapter PF: firmware-managed, no PF driver */
	{ PCI_VDEVICE(AMAZON, 0x0053) },
	{ }	/* required last entry */
};
MODULE_DEVICE_TABLE(pci, pci_stub_pf_ids);

static void pci_stub_pf_save_regs(struct pci_stub_pf *pf)
{
	struct pci_dev *pdev = pf->pdev;
	int pos = pf->sriov_pos;
	int i;

	pci_read_config_word(pdev, pos + PCI_SRIOV_CTRL, &pf->regs.ctrl);
	pci_read_config_word(pdev, pos + PCI_SRIOV_NUM_VF, &pf->regs.num_vfs);
	pci_read_config_dword(pdev, pos + PCI_SRIOV_SYS_PGSIZE, &pf->regs.pgsz);
	for (i = 0; i < PCI_SRIOV_NUM_BARS; i++)
		pci_read_config_dword(pdev, pos + PCI_SRIOV_BAR + 4 * i,
				      &pf->regs.bar[i]);
}

/*
 * The PCI core restores the SR-IOV registers after a reset only when the
 * device cleared VF Enable.  Some devices (QEMU's NVMe among them) drop
 * their VFs on a PF reset but leave VF Enable set with NumVFs at 0, so the
 * core skips the restore and sysfs keeps listing VFs that are gone.  Check
 * the registers against what the kernel believes and, if they disagree,
 * recreate the VFs from the snapshot taken while they were alive.
 */
static void pci_stub_pf_restore_vfs(struct pci_stub_pf *pf)
{
	struct pci_dev *pdev = pf->pdev;
	int pos = pf->sriov_pos;
	u16 expected = pci_num_vf(pdev);
	u16 ctrl, num_vfs;
	int i;

	if (!expected)
		return;

	pci_read_config_word(pdev, pos + PCI_SRIOV_CTRL, &ctrl);
	pci_read_config_word(pdev, pos + PCI_SRIOV_NUM_VF, &num_vfs);
	if ((ctrl & PCI_SRIOV_CTRL_VFE) && num_vfs == expected)
		return;

	pci_warn(pdev, "device lost its VFs in a reset (VF Enable %s, NumVFs %u, expected %u); restoring them\n",
		 ctrl & PCI_SRIOV_CTRL_VFE ? "set" : "clear", num_vfs, expected);

	pci_write_config_word(pdev, pos + PCI_SRIOV_CTRL,
			      pf->regs.ctrl & ~(PCI_SRIOV_CTRL_VFE | PCI_SRIOV_CTRL_MSE));
	pci_write_config_dword(pdev, pos + PCI_SRIOV_SYS_PGSIZE, pf->regs.pgsz);
	for (i = 0; i < PCI_SRIOV_NUM_BARS; i++)
		pci_write_config_dword(pdev, pos + PCI_SRIOV_BAR + 4 * i,
				       pf->regs.bar[i]);
	pci_write_config_word(pdev, pos + PCI_SRIOV_NUM_VF, expected);
	pci_write_config_word(pdev, pos + PCI_SRIOV_CTRL, pf->regs.ctrl);
	/* VFs may not answer config requests for 100 ms after VF Enable */
	msleep(100);

	pci_read_config_word(pdev, pos + PCI_SRIOV_NUM_VF, &num_vfs);
	if (num_vfs != expected)
		pci_warn(pdev, "could not restore VFs after reset: NumVFs reads %u, expected %u\n",
			 num_vfs, expected);
}

/*
 * The VF of @pdev after @vf (NULL: the first), or NULL.  Takes a reference
 * on the VF returned and drops the one on @vf, like pci_get_device().
 */
static struct pci_dev *pci_stub_pf_next_vf(struct pci_dev *pdev,
					   struct pci_dev *vf)
{
	while ((vf = pci_get_device(pdev->vendor, PCI_ANY_ID, vf))) {
		if (vf->is_virtfn && pci_physfn(vf) == pdev)
			return vf;
	}
	return NULL;
}

/*
 * Return the first VF of @pdev that a driver holds, with a reference the
 * caller drops, or NULL.  A snapshot: a VF can be bound right after.
 */
static struct pci_dev *pci_stub_pf_bound_vf(struct pci_dev *pdev)
{
	struct pci_dev *vf = NULL;

	while ((vf = pci_stub_pf_next_vf(pdev, vf))) {
		if (READ_ONCE(vf->dev.driver))
			return vf;
	}
	return NULL;
}

/*
 * True if VFs are enabled but none is registered any more: hot-unplug
 * removes the devices of a slot in reverse order, VFs first, so the PF is
 * leaving the system and there is nothing left to keep for a next probe.
 */
static bool pci_stub_pf_vfs_gone(struct pci_dev *pdev)
{
	struct pci_dev *vf = pci_stub_pf_next_vf(pdev, NULL);

	pci_dev_put(vf);
	return !vf;
}

/* Why VFs must stay, as text for the log, or NULL when they may go. */
static const char *pci_stub_pf_vfs_in_use(struct pci_stub_pf *pf,
					  char *buf, size_t size)
{
	struct pci_dev *pdev = pf->pdev;
	struct pci_dev *vf;
	const struct device_driver *drv;

	if (pf->lock != PCI_STUB_PF_UNLOCKED) {
		snprintf(buf, size, "the VF count is %s",
			 pci_stub_pf_lock_names[pf->lock]);
		return buf;
	}

	if (pci_vfs_assigned(pdev)) {
		snprintf(buf, size, "VFs are assigned to guests");
		return buf;
	}

	vf = pci_stub_pf_bound_vf(pdev);
	if (!vf)
		return NULL;

	drv = READ_ONCE(vf->dev.driver);
	snprintf(buf, size, "VF %s is bound to %s", pci_name(vf),
		 drv ? drv->name : "a driver");
	pci_dev_put(vf);
	return buf;
}

static int pci_stub_pf_refuse_locked(struct pci_stub_pf *pf)
{
	if (pf->lock == PCI_STUB_PF_SEALED)
		pci_warn(pf->pdev, "VF count is sealed until the PF is unbound or the module unloaded; change refused\n");
	else
		pci_warn(pf->pdev, "VF count is locked; write 'unlocked' to sriov_lock to change it\n");
	return -EPERM;
}

static int pci_stub_pf_enable_vfs(struct pci_stub_pf *pf, int num_vfs)
{
	struct pci_dev *pdev = pf->pdev;
	int ret;

	ret = pci_enable_sriov(pdev, num_vfs);
	if (ret) {
		pci_warn(pdev, "enabling %d VFs failed: %d\n", num_vfs, ret);
		return ret;
	}

	pci_stub_pf_save_regs(pf);
	add_taint(TAINT_USER, LOCKDEP_STILL_OK);
	pci_warn(pdev, "%d VFs enabled by user space; tainting kernel (TAINT_USER)\n",
		 num_vfs);

	if (READ_ONCE(lock_on_enable)) {
		pf->lock = PCI_STUB_PF_LOCKED;
		pci_info(pdev, "VF count locked (lock_on_enable=1)\n");
	}
	return num_vfs;
}

static int pci_stub_pf_disable_vfs(struct pci_stub_pf *pf)
{
	struct pci_dev *pdev = pf->pdev;
	char why[80];

	/*
	 * Removing a VF that a driver holds unbinds it; vfio-pci then waits
	 * for the guest to let go, and this write would hang.
	 */
	if (pci_stub_pf_vfs_in_use(pf, why, sizeof(why))) {
		pci_warn(pdev, "cannot disable VFs: %s; unbind it first\n", why);
		return -EBUSY;
	}

	pci_disable_sriov(pdev);
	pci_info(pdev, "VFs disabled\n");
	return 0;
}

static int pci_stub_pf_sriov_configure(struct pci_dev *pdev, int num_vfs)
{
	struct pci_stub_pf *pf = pci_get_drvdata(pdev);
	int ret;

	/* The PCI core holds the device lock (and on new kernels the
	 * rescan/remove lock): taking either again here would deadlock.
	 */
	device_lock_assert(&pdev->dev);

	mutex_lock(&pf->mutex);
	if (pf->lock != PCI_STUB_PF_UNLOCKED)
		ret = pci_stub_pf_refuse_locked(pf);
	else if (num_vfs > 0)
		ret = pci_stub_pf_enable_vfs(pf, num_vfs);
	else
		ret = pci_stub_pf_disable_vfs(pf);
	mutex_unlock(&pf->mutex);

	return ret;
}

static ssize_t sriov_lock_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct pci_stub_pf *pf = dev_get_drvdata(dev);
	enum pci_stub_pf_lock lock;

	mutex_lock(&pf->mutex);
	lock = pf->lock;
	mutex_unlock(&pf->mutex);

	return sysfs_emit(buf, "%s\n", pci_stub_pf_lock_names[lock]);
}

/* Every spelling sriov_lock accepts, and the state each one asks for. */
static const struct {
	const char *word;
	enum pci_stub_pf_lock lock;
} pci_stub_pf_lock_words[] = {
	{ "unlocked", PCI_STUB_PF_UNLOCKED },
	{ "0", PCI_STUB_PF_UNLOCKED },
	{ "n", PCI_STUB_PF_UNLOCKED },
	{ "off", PCI_STUB_PF_UNLOCKED },
	{ "locked", PCI_STUB_PF_LOCKED },
	{ "1", PCI_STUB_PF_LOCKED },
	{ "y", PCI_STUB_PF_LOCKED },
	{ "on", PCI_STUB_PF_LOCKED },
	{ "sealed", PCI_STUB_PF_SEALED },
};

static int pci_stub_pf_parse_lock(const char *buf, enum pci_stub_pf_lock *lock)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(pci_stub_pf_lock_words); i++) {
		if (sysfs_streq(buf, pci_stub_pf_lock_words[i].word)) {
			*lock = pci_stub_pf_lock_words[i].lock;
			return 0;
		}
	}
	return -EINVAL;
}

static ssize_t sriov_lock_store(struct device *dev,
				struct device_attribute *attr,
				const char *buf, size_t count)
{
	struct pci_stub_pf *pf = dev_get_drvdata(dev);
	struct pci_dev *pdev = to_pci_dev(dev);
	enum pci_stub_pf_lock lock = PCI_STUB_PF_UNLOCKED;
	int parsed = pci_stub_pf_parse_lock(buf, &lock);
	ssize_t ret = count;

	mutex_lock(&pf->mutex);
	if (pf->lock == PCI_STUB_PF_SEALED) {
		/* A seal does not even say whether the write was well-formed. */
		pci_warn(pdev, "sriov_lock is sealed until the PF is unbound or the module unloaded; write refused\n");
		ret = -EPERM;
	} else if (parsed) {
		pci_info(pdev, "sriov_lock: invalid value; write unlocked, locked or sealed\n");
		ret = -EINVAL;
	} else if (pf->lock != lock) {
		pf->lock = lock;
		pci_info(pdev, "VF count %s (%u VFs)\n",
			 pci_stub_pf_lock_names[lock], pci_num_vf(pdev));
	}
	mutex_unlock(&pf->mutex);

	return ret;
}
static DEVICE_ATTR_RW(sriov_lock);

static struct attribute *pci_stub_pf_attrs[] = {
	&dev_attr_sriov_lock.attr,
	NULL,
};

static const struct attribute_group pci_stub_pf_group = {
	.attrs = pci_stub_pf_attrs,
};

static const struct attribute_group *pci_stub_pf_groups[] = {
	&pci_stub_pf_group,
	NULL,
};

static void pci_stub_pf_apply_max_vfs(struct pci_stub_pf *pf)
{
	struct pci_dev *pdev = pf->pdev;
	unsigned int cap = max_vfs;
	int ret;

	if (!cap || cap >= pci_sriov_get_totalvfs(pdev))
		return;

	ret = pci_sriov_set_totalvfs(pdev, cap);
	if (ret)
		pci_warn(pdev, "cannot cap sriov_totalvfs at %u while VFs are enabled (%d)\n",
			 cap, ret);
	else
		pci_info(pdev, "sriov_totalvfs capped at %u (max_vfs)\n", cap);
}

static int pci_stub_pf_probe(struct pci_dev *pdev,
			     const struct pci_device_id *id)
{
	struct pci_stub_pf *pf;
	int num_vfs;
	int ret;

	if (pdev->is_virtfn) {
		pci_info(pdev, "is a VF; pci-stub-pf binds only PFs\n");
		return -ENODEV;
	}

	if (!pdev->is_physfn) {
		pci_info(pdev, "has no SR-IOV capability; pci-stub-pf binds only SR-IOV PFs\n");
		return -ENODEV;
	}

	pf = devm_kzalloc(&pdev->dev, sizeof(*pf), GFP_KERNEL);
	if (!pf)
		return -ENOMEM;

	pf->pdev = pdev;
	pf->sriov_pos = pci_find_ext_capability(pdev, PCI_EXT_CAP_ID_SRIOV);
	mutex_init(&pf->mutex);

	if (enable_pf) {
		ret = pcim_enable_device(pdev);
		if (ret) {
			pci_warn(pdev, "cannot enable PF (enable_pf=1): %d\n", ret);
			goto err_destroy_mutex;
		}
		pci_set_master(pdev);
		pci_info(pdev, "PF memory decoding and bus mastering enabled (enable_pf=1)\n");
	}

	pci_stub_pf_apply_max_vfs(pf);
	pci_save_state(pdev);

	num_vfs = pci_num_vf(pdev);
	if (num_vfs) {
		/* Whoever left VFs behind may still use them: keep them. */
		pf->lock = PCI_STUB_PF_LOCKED;
		pci_stub_pf_save_regs(pf);
		pci_info(pdev, "adopted %d VFs that were already enabled; VF count locked\n",
			 num_vfs);
	}

	pci_set_drvdata(pdev, pf);
	pci_info(pdev, "claimed by pci-stub-pf (%d of %d VFs enabled)\n",
		 num_vfs, pci_sriov_get_totalvfs(pdev));
	return 0;

err_destroy_mutex:
	mutex_destroy(&pf->mutex);
	return ret;
}

static void pci_stub_pf_remove(struct pci_dev *pdev)
{
	struct pci_stub_pf *pf = pci_get_drvdata(pdev);
	const char *why;
	char buf[80];

	mutex_lock(&pf->mutex);
	if (pci_num_vf(pdev) && pci_stub_pf_vfs_gone(pdev)) {
		pci_info(pdev, "PF is being removed and its %d VFs are gone; disabling SR-IOV\n",
			 pci_num_vf(pdev));
		pci_disable_sriov(pdev);
	} else if (pci_num_vf(pdev)) {
		why = pci_stub_pf_vfs_in_use(pf, buf, sizeof(buf));
		if (why) {
			pci_warn(pdev, "leaving %d VFs enabled because %s; the next probe adopts them locked\n",
				 pci_num_vf(pdev), why);
		} else {
			pci_disable_sriov(pdev);
			pci_info(pdev, "VFs disabled on unbind\n");
		}
	}
	mutex_unlock(&pf->mutex);

	mutex_destroy(&pf->mutex);
	pci_info(pdev, "released by pci-stub-pf\n");
}

static pci_ers_result_t pci_stub_pf_error_detected(struct pci_dev *pdev,
						   pci_channel_state_t state)
{
	if (state == pci_channel_io_perm_failure) {
		pci_warn(pdev, "permanent PCI error; PF and its VFs are lost\n");
		return PCI_ERS_RESULT_DISCONNECT;
	}

	pci_warn(pdev, "PCI error detected (channel state %d); requesting reset\n",
		 state);
	return PCI_ERS_RESULT_NEED_RESET;
}

static pci_ers_result_t pci_stub_pf_slot_reset(struct pci_dev *pdev)
{
	struct pci_stub_pf *pf = pci_get_drvdata(pdev);

	/*
	 * Not pf->mutex: AER recovery calls this holding pci_bus_sem, which
	 * pci_enable_sriov() takes under pf->mutex (lockdep: circular
	 * dependency).  The core holds the PF's device lock here, as around
	 * sriov_configure and reset_prepare, the other users of the snapshot.
	 */
	device_lock_assert(&pdev->dev);

	pci_restore_state(pdev);
	/* pci_restore_state() consumes the saved state; keep one for next time */
	pci_save_state(pdev);

	pci_stub_pf_restore_vfs(pf);

	pci_info(pdev, "recovered after slot reset (%d VFs)\n", pci_num_vf(pdev));
	return PCI_ERS_RESULT_RECOVERED;
}

static void pci_stub_pf_resume(struct pci_dev *pdev)
{
	pci_info(pdev, "resumed after PCI error recovery\n");
}

static void pci_stub_pf_reset_prepare(struct pci_dev *pdev)
{
	struct pci_stub_pf *pf = pci_get_drvdata(pdev);

	/* The freshest copy of the VF BARs and NumVFs, taken while alive */
	mutex_lock(&pf->mutex);
	if (pci_num_vf(pdev))
		pci_stub_pf_save_regs(pf);
	mutex_unlock(&pf->mutex);
}

static void pci_stub_pf_reset_done(struct pci_dev *pdev)
{
	struct pci_stub_pf *pf = pci_get_drvdata(pdev);

	mutex_lock(&pf->mutex);
	pci_stub_pf_restore_vfs(pf);
	mutex_unlock(&pf->mutex);
}

static const struct pci_error_handlers pci_stub_pf_err_handler = {
	.error_detected = pci_stub_pf_error_detected,
	.slot_reset = pci_stub_pf_slot_reset,
	.resume = pci_stub_pf_resume,
	.reset_prepare = pci_stub_pf_reset_prepare,
	.reset_done = pci_stub_pf_reset_done,
};

static struct pci_driver pci_stub_pf_driver = {
	.name = DRIVER_NAME,
	.id_table = pci_stub_pf_ids,
	.probe = pci_stub_pf_probe,
	.remove = pci_stub_pf_remove,
	.sriov_configure = pci_stub_pf_sriov_configure,
	.err_handler = &pci_stub_pf_err_handler,
	PCI_STUB_PF_DEV_GROUPS(pci_stub_pf_groups)
	PCI_STUB_PF_DRIVER_MANAGED_DMA
};

/*
 * Parse one ids= entry, vendor:device[:subvendor[:subdevice[:class[:mask]]]]
 * in hex, into @f (which holds the defaults).  Stricter than pci-stub's
 * sscanf(): trailing junk or an out-of-range field rejects the entry.
 */
static int __init pci_stub_pf_parse_id(char *entry, u32 f[6])
{
	static const u32 limit[6] = {
		PCI_ANY_ID, PCI_ANY_ID, PCI_ANY_ID, PCI_ANY_ID,
		0xffffff, 0xffffff,
	};
	char *field;
	int n = 0;

	while ((field = strsep(&entry, ":"))) {
		if (n == 6 || kstrtou32(field, 16, &f[n]) || f[n] > limit[n])
			return -EINVAL;
		/* IDs are 16 bits; PCI_ANY_ID (ffffffff) is the wildcard */
		if (n < 4 && f[n] > 0xffff && f[n] != PCI_ANY_ID)
			return -EINVAL;
		n++;
	}
	return n < 2 ? -EINVAL : 0;
}

static void __init pci_stub_pf_add_ids(void)
{
	char *list, *p, *entry;
	int ret;

	if (!ids[0])
		return;

	/* strsep() cuts the string; keep the parameter readable */
	list = kstrdup(ids, GFP_KERNEL);
	if (!list)
		return;

	p = list;
	while ((entry = strsep(&p, ","))) {
		u32 f[6] = { 0, 0, PCI_ANY_ID, PCI_ANY_ID, 0, 0 };
		/* the longest well-formed entry is 6 * "0x" + 8 digits + 5 ':' */
		char text[64];

		if (!*entry)
			continue;

		/* parse a copy, so that the log can quote the entry whole */
		if (strscpy(text, entry, sizeof(text)) < 0 ||
		    pci_stub_pf_parse_id(text, f)) {
			pr_warn("ids: skipping malformed entry '%s' (want vendor:device[:subvendor[:subdevice[:class[:class_mask]]]] in hex)\n",
				entry);
			continue;
		}

		ret = pci_add_dynid(&pci_stub_pf_driver, f[0], f[1], f[2], f[3],
				    f[4], f[5], 0);
		if (ret)
			pr_warn("ids: cannot add '%s': %d\n", entry, ret);
		else
			pr_info("ids: added %04X:%04X sub=%04X:%04X cls=%08X/%08X\n",
				f[0], f[1], f[2], f[3], f[4], f[5]);
	}
	kfree(list);
}

static int __init pci_stub_pf_init(void)
{
	int ret;

	ret = pci_register_driver(&pci_stub_pf_driver);
	if (ret)
		return ret;

	pci_stub_pf_add_ids();
	return 0;
}
module_init(pci_stub_pf_init);

static void __exit pci_stub_pf_exit(void)
{
	pci_unregister_driver(&pci_stub_pf_driver);
}
module_exit(pci_stub_pf_exit);

MODULE_DESCRIPTION("Stub driver for SR-IOV physical functions that need no driver of their own");
MODULE_AUTHOR("The pci-stub-pf developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(PCI_STUB_PF_VERSION);
