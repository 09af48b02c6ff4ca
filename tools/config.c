// SPDX-License-Identifier: GPL-2.0
/* sriovctl: configuration parser. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"
#include "config.h"

void config_init(struct config *c, config_report_fn report, void *ctx)
{
	memset(c, 0, sizeof(*c));
	c->report = report;
	c->ctx = ctx;
}

void config_free(struct config *c)
{
	size_t i;

	for (i = 0; i < c->nfiles; i++)
		free(c->files[i]);
	free(c->files);
	free(c->sec);
	memset(c, 0, sizeof(*c));
}

void config_error(struct config *c, const char *file, unsigned int line,
		  const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	c->errors++;
	if (c->report)
		c->report(c->ctx, file, line, msg);
	else if (line)
		err("%s:%u: %s", file, line, msg);
	else
		err("%s: %s", file, msg);
}

static const char *keep_name(struct config *c, const char *file)
{
	char **v, *s;

	v = realloc(c->files, (c->nfiles + 1) * sizeof(*v));
	if (!v)
		return NULL;
	c->files = v;
	s = strdup(file);
	if (!s)
		return NULL;
	v[c->nfiles++] = s;
	return s;
}

static struct cfg_section *new_section(struct config *c)
{
	struct cfg_section *s;

	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;

		s = realloc(c->sec, cap * sizeof(*s));
		if (!s)
			return NULL;
		c->sec = s;
		c->cap = cap;
	}
	s = &c->sec[c->n++];
	memset(s, 0, sizeof(*s));
	s->vfs = s->lock = s->autoprobe = -1;
	return s;
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* Trim spaces and tabs at both ends, in place. */
static char *trim(char *s)
{
	char *e;

	while (is_space(*s))
		s++;
	e = s + strlen(s);
	while (e > s && is_space(e[-1]))
		*--e = '\0';
	return s;
}

/* What is wrong with the raw bytes of a line, or NULL. */
static const char *check_bytes(const char *p, size_t len)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t i = 0, l;

	while (i < len) {
		if (u[i] == '\0')
			return "NUL byte: this is not a text file";
		if ((u[i] < 0x20 && u[i] != '\t' &&
		     !(u[i] == '\r' && i == len - 1)) || u[i] == 0x7f)
			return "control character: this is not a text file";
		if (u[i] >= 0x80) {
			l = utf8_seq_len(u + i, len - i);
			if (!l)
				return "invalid UTF-8: this is not a text file";
			i += l;
			continue;
		}
		i++;
	}
	return NULL;
}

static int parse_count(const char *v)
{
	unsigned long x = 0;
	size_t i, len = strlen(v);

	if (len == 0 || len > 5)
		return -1;
	for (i = 0; i < len; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		x = x * 10 + (unsigned long)(v[i] - '0');
	}
	return x > 65535 ? -1 : (int)x;
}

struct parse_state {
	struct config *c;
	const char *file;
	unsigned int line;
	unsigned int errors;
	bool in_section;
	struct cfg_section *cur;	/* NULL: in a section with a bad header */
};

static void perr(struct parse_state *ps, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void perr(struct parse_state *ps, const char *fmt, ...)
{
	char msg[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ps->errors++;
	config_error(ps->c, ps->file, ps->line, "%s", msg);
}

static void parse_header(struct parse_state *ps, char *s)
{
	struct cfg_section *sec;
	size_t len = strlen(s);
	char *body, *kind, *sel;

	ps->in_section = true;
	ps->cur = NULL;
	if (s[len - 1] != ']') {
		perr(ps, "section header without closing ']'");
		return;
	}
	s[len - 1] = '\0';
	body = trim(s + 1);
	kind = body;
	sel = body + strcspn(body, " \t");
	if (*sel)
		*sel++ = '\0';
	sel = trim(sel);
	if (!*kind) {
		perr(ps, "section without selector: expected '[pf DDDD:BB:DD.F]' or '[pf VVVV:DDDD]'");
		return;
	}
	if (strcmp(kind, "pf")) {
		perr(ps, "unknown section %s: expected '[pf DDDD:BB:DD.F]' or '[pf VVVV:DDDD]'",
		     quote(kind));
		return;
	}
	if (!*sel) {
		perr(ps, "section without selector: expected '[pf DDDD:BB:DD.F]' or '[pf VVVV:DDDD]'");
		return;
	}
	sec = new_section(ps->c);
	if (!sec) {
		perr(ps, "out of memory");
		return;
	}
	sec->file = ps->file;
	sec->line = ps->line;
	if (strchr(sel, '.')) {
		sec->sel = SEL_ADDR;
		if (addr_canon(sel, sec->addr))
			goto bad;
	} else {
		sec->sel = SEL_ID;
		if (id_parse(sel, &sec->vendor, &sec->device))
			goto bad;
	}
	ps->cur = sec;
	return;
bad:
	ps->c->n--;
	perr(ps, "bad selector %s: expected a PCI address [DDDD:]BB:DD.F or vendor:device VVVV:DDDD",
	     quote(sel));
}

static bool dup_key(struct parse_state *ps, const char *key, unsigned int *line)
{
	if (*line) {
		perr(ps, "duplicate key '%s' in this section (first at line %u)",
		     key, *line);
		return true;
	}
	*line = ps->line;
	return false;
}

static void parse_key(struct parse_state *ps, char *s)
{
	struct cfg_section *sec = ps->cur;
	struct cfg_section dummy;
	char *eq = strchr(s, '='), *key, *val;
	int n;

	if (!eq) {
		perr(ps, "expected 'key = value', '[pf SELECTOR]' or a comment");
		return;
	}
	*eq = '\0';
	key = trim(s);
	val = trim(eq + 1);
	if (!*key) {
		perr(ps, "expected 'key = value', '[pf SELECTOR]' or a comment");
		return;
	}
	if (!ps->in_section) {
		perr(ps, "key %s outside a section: start one with '[pf SELECTOR]'",
		     quote(key));
		return;
	}
	if (!sec) {
		/* bad header reported already: still check the keys */
		memset(&dummy, 0, sizeof(dummy));
		sec = &dummy;
	}
	if (!strcmp(key, "vfs")) {
		if (dup_key(ps, key, &sec->vfs_line))
			return;
		n = parse_count(val);
		if (n < 0)
			perr(ps, "vfs: %s is not a VF count (0-65535)",
			     quote(val));
		else
			sec->vfs = n;
	} else if (!strcmp(key, "lock")) {
		if (dup_key(ps, key, &sec->lock_line))
			return;
		if (!strcmp(val, "no"))
			sec->lock = CFG_LOCK_NO;
		else if (!strcmp(val, "yes"))
			sec->lock = CFG_LOCK_YES;
		else if (!strcmp(val, "sealed"))
			sec->lock = CFG_LOCK_SEALED;
		else
			perr(ps, "lock: %s is not one of 'no', 'yes', 'sealed'",
			     quote(val));
	} else if (!strcmp(key, "autoprobe")) {
		if (dup_key(ps, key, &sec->autoprobe_line))
			return;
		if (!strcmp(val, "no"))
			sec->autoprobe = 0;
		else if (!strcmp(val, "yes"))
			sec->autoprobe = 1;
		else
			perr(ps, "autoprobe: %s is not one of 'yes', 'no'",
			     quote(val));
	} else if (!strcmp(key, "vf-driver")) {
		if (dup_key(ps, key, &sec->vf_driver_line))
			return;
		if (driver_name_valid(val))
			strcpy(sec->vf_driver, val);
		else
			perr(ps, "vf-driver: %s is not a driver name or 'none'",
			     quote(val));
	} else {
		perr(ps, "unknown key %s: expected vfs, lock, autoprobe or vf-driver",
		     quote(key));
	}
}

unsigned int config_parse(struct config *c, const char *file, const char *buf,
			  size_t len)
{
	struct parse_state ps = { .c = c };
	char line[CONFIG_LINE_MAX + 2], *s;
	size_t pos = 0, l;
	const char *nl, *bad;

	ps.file = keep_name(c, file);
	if (!ps.file) {
		config_error(c, file, 0, "out of memory");
		return 1;
	}
	while (pos < len) {
		ps.line++;
		if (ps.errors >= CONFIG_ERRORS_MAX) {
			perr(&ps, "too many errors, giving up on this file");
			break;
		}
		nl = memchr(buf + pos, '\n', len - pos);
		l = nl ? (size_t)(nl - (buf + pos)) : len - pos;
		s = NULL;
		if (l > CONFIG_LINE_MAX) {
			perr(&ps, "line longer than %d bytes", CONFIG_LINE_MAX);
		} else if ((bad = check_bytes(buf + pos, l))) {
			perr(&ps, "%s", bad);
		} else {
			memcpy(line, buf + pos, l);
			line[l] = '\0';
			s = line;
		}
		pos += l + (nl ? 1 : 0);
		if (!s)
			continue;
		if (l && s[l - 1] == '\r')
			s[l - 1] = '\0';
		s[strcspn(s, "#")] = '\0';
		s = trim(s);
		if (!*s)
			continue;
		if (*s == '[')
			parse_header(&ps, s);
		else
			parse_key(&ps, s);
	}
	return ps.errors;
}

unsigned int config_load_file(struct config *c, const char *path)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	ssize_t n;
	unsigned int e;
	int fd;

	/* O_NONBLOCK: a FIFO must not hang us before fstat says what it is */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		goto fail;
	if (fstat(fd, &st))
		goto fail;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		config_error(c, path, 0, "cannot read: not a regular file");
		return 1;
	}
	if (st.st_size > CONFIG_FILE_MAX) {
		close(fd);
		config_error(c, path, 0, "cannot read: larger than %d bytes",
			     CONFIG_FILE_MAX);
		return 1;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		goto fail;
	while (len < (size_t)st.st_size) {
		n = read(fd, buf + len, (size_t)st.st_size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	e = config_parse(c, path, buf, len);
	free(buf);
	return e;
fail:
	e = (unsigned int)errno;
	if (fd >= 0)
		close(fd);
	free(buf);
	config_error(c, path, 0, "cannot read: %s", strerror((int)e));
	return 1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

unsigned int config_load_default(struct config *c, const char *dir)
{
	char path[4096], **names = NULL, **nv;
	size_t n = 0, i, len;
	unsigned int e = 0;
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "%s/sriovctl.conf", dir);
	if (access(path, F_OK) == 0)
		e += config_load_file(c, path);

	snprintf(path, sizeof(path), "%s/sriovctl.d", dir);
	d = opendir(path);
	if (!d) {
		if (errno != ENOENT) {
			config_error(c, path, 0, "cannot read: %s",
				     strerror(errno));
			e++;
		}
		return e;
	}
	while ((de = readdir(d))) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len < 6 ||
		    strcmp(de->d_name + len - 5, ".conf"))
			continue;
		nv = realloc(names, (n + 1) * sizeof(*names));
		if (!nv)
			break;
		names = nv;
		names[n] = strdup(de->d_name);
		if (names[n])
			n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/sriovctl.d/%s", dir, names[i]);
		e += config_load_file(c, path);
		free(names[i]);
	}
	free(names);
	return e;
}
