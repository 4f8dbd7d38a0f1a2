// SPDX-License-Identifier: GPL-2.0-only
/*
 * The report: the sections that ran, the memory and the goals, as a table,
 * as JSON and as gnuplot data, each between marker lines that bench/run cuts
 * out:  msgslot-bench-[LABEL-]{table,json,data}-{begin,end}.  All three are
 * printed from the rows of rows.c.
 */
#include "bench.h"

#include <math.h>
#include <string.h>
#include <sys/utsname.h>

static const char *const level_name[] = {
	[LEVEL_ONE] = NULL, [LEVEL_THREADS] = "threads",
	[LEVEL_SLOTS] = "slots",
};

static void mark(const struct bench *b, const char *what)
{
	printf("msgslot-bench-%s%s%s\n", b->label ? b->label : "",
	       b->label ? "-" : "", what);
}

/* @n with thousands separators, in @buf. */
static const char *grouped(char *buf, size_t size, long n)
{
	if (n >= 1000000)
		snprintf(buf, size, "%ld,%03ld,%03ld", n / 1000000,
			 n / 1000 % 1000, n % 1000);
	else if (n >= 1000)
		snprintf(buf, size, "%ld,%03ld", n / 1000, n % 1000);
	else
		snprintf(buf, size, "%ld", n);
	return buf;
}

static void cpu_model(char *out, size_t size)
{
	char line[512];
	FILE *f = fopen("/proc/cpuinfo", "r");

	snprintf(out, size, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!strncmp(line, "model name", 10) && colon) {
			colon += 1 + (colon[1] == ' ');
			colon[strcspn(colon, "\n")] = '\0';
			snprintf(out, size, "%s", colon);
			break;
		}
	}
	fclose(f);
}

/* ---- the table --------------------------------------------------------- */

static void table_one_level(const struct bench *b, enum section_id id)
{
	const struct section *s = &sections[id];
	const struct column *c;

	if (strlen(s->title) > 44)
		printf("%s\n%-44s", s->title, "");
	else
		printf("%-44s", s->title);
	printf(" %10s", "ns");
	for (c = s->columns; c->key; c++)
		printf(" %9s", c->header);
	printf("\n");
	for (int i = 0; i < row_count; i++) {
		if (rows[i].section != id)
			continue;
		printf("  %-42s %10.0f", rows[i].title, b->fig[i][0].s.median);
		for (c = s->columns; c->key; c++)
			printf(" %8.2fx", column_value(b, i, c, 0));
		printf("\n");
	}
}

/* One column per level: the figure, then the section's first column. */
static void table_levels(const struct bench *b, enum section_id id)
{
	const struct section *s = &sections[id];
	char label[64], num[32];
	int n;

	printf("%s\n  %-40s", s->title, "");
	for (n = 0; n < b->levels[id]; n++)
		printf(" %17s", grouped(num, sizeof(num),
					b->level_value[id][n]));
	snprintf(label, sizeof(label), "(%s)", level_name[s->levels]);
	printf("  %s\n", label);
	for (int i = 0; i < row_count; i++) {
		if (rows[i].section != id)
			continue;
		printf("  %-40s", rows[i].title);
		for (n = 0; n < b->levels[id]; n++)
			printf(" %9.0f (%4.2fx)", b->fig[i][n].s.median /
			       (s->per_second ? 1e3 : 1),
			       column_value(b, i, &s->columns[0], n));
		printf("\n");
	}
}

/* One figure of the memory table, in bytes; below zero: not measured. */
static void memory_row(const char *what, double bytes)
{
	if (bytes >= 0)
		printf("  %-42s %10.1f bytes\n", what, bytes);
	else
		printf("  %-42s %10s\n", what, "not measured");
}

static void table_memory(const struct bench *b)
{
	const struct memory *m = &b->mem;
	char num[32], num2[32];

	printf("Memory per slot, %s slots allocated (%s in all)\n",
	       grouped(num, sizeof(num), m->slots),
	       grouped(num2, sizeof(num2), (long)b->allocated));
	memory_row("the slot cache's and the XArray's slabs", m->per_slot);
	memory_row("of which the slot cache's", m->cache_per_slot);
	memory_row("of which the XArray nodes'", m->xarray_per_slot);
	memory_row("cross-check: all caches' (Slab: growth)", m->slab_per_slot);
	printf("  %-42s %10ld bytes (payload %d)\n", "object size",
	       m->object_size, MSGSLOT_CHANNELS * LEN);
	printf("  %-42s %10ld bytes, %ld a slab of order %ld\n", "slab size",
	       m->slab_size, m->objs_per_slab, m->order);
	printf("  %-42s %s\n\n", "cache", m->cache);
}

static void print_table(const struct bench *b, const struct utsname *uts,
			const char *model)
{
	mark(b, "table-begin");
	printf("msgslot benchmark%s%s: 128-byte messages; each figure the "
	       "median of %d runs of ~%ld ms\n(threads ~%ld, wake-ups ~%ld)\n",
	       b->label ? ", " : "", b->label ? b->label : "", b->runs,
	       b->run_ms, section_run_ms(b, SEC_SCALING),
	       section_run_ms(b, SEC_WAKEUP));
	printf("kernel %s %s, %d CPUs (%s), device %s (major %u)\n",
	       uts->release, uts->machine, b->ncpus, model, b->device,
	       b->major);
	printf("Runs of all the workloads of a section are interleaved; a ratio "
	       "is the median of\nthe ratios of runs made back to back.  Under "
	       "software emulation (QEMU TCG)\nonly the ratios mean anything."
	       "\n\n");
	for (int id = 0; id < SECTIONS; id++) {
		if (!b->measured[id])
			continue;
		if (sections[id].levels == LEVEL_ONE)
			table_one_level(b, id);
		else
			table_levels(b, id);
		if (sections[id].note)
			printf("  %s\n", sections[id].note);
		printf("\n");
	}
	if (b->run_memory)
		table_memory(b);
	printf("Goals\n");
	for (int i = 0; i < goal_count; i++) {
		const struct goal *g = &goals[i];
		char value[32] = "not measured";

		if (isfinite(goal_value(b, g)))
			snprintf(value, sizeof(value), "%.2f%s",
				 goal_value(b, g), g->unit);
		printf("  %-7s %-52s %12s (goal %s %g%s)\n",
		       goal_status(b, g), g->text, value,
		       g->at_least ? ">=" : "<=", g->limit, g->unit);
	}
	mark(b, "table-end");
}

/* ---- JSON ------------------------------------------------------------- */

/* A JSON number, or null for what was not measured. */
static void json_num(double x)
{
	if (isfinite(x) && x >= 0)
		printf("%.6g", x);
	else
		fputs("null", stdout);
}

static void json_str(const char *s)
{
	if (!s) {
		fputs("null", stdout);
		return;
	}
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

/* "key": value, for a figure's median, minimum and maximum. */
static void json_stat(const char *key, struct stat3 s)
{
	printf("\"%s\": ", key);
	json_num(s.median);
	printf(", \"%s_min\": ", key);
	json_num(s.min);
	printf(", \"%s_max\": ", key);
	json_num(s.max);
}

/* A row on one line: its name, title and a figure for each level. */
static void json_row(const struct bench *b, int i)
{
	const struct section *s = &sections[rows[i].section];
	int id = rows[i].section;

	printf("      {\"name\": ");
	json_str(rows[i].name);
	printf(", \"title\": ");
	json_str(rows[i].title);
	printf(", \"figures\": [");
	for (int n = 0; n < b->levels[id]; n++) {
		printf("%s{", n ? ", " : "");
		if (s->levels != LEVEL_ONE)
			printf("\"%s\": %ld, ", level_name[s->levels],
			       b->level_value[id][n]);
		json_stat(s->per_second ? "ops_per_s" : "ns", b->fig[i][n].s);
		for (const struct column *c = s->columns; c->key; c++) {
			printf(", \"%s\": ", c->key);
			json_num(column_value(b, i, c, n));
		}
		printf("}");
	}
	printf("]}");
}

static void json_sections(const struct bench *b)
{
	bool first = true;

	printf("  \"sections\": [\n");
	for (int id = 0; id < SECTIONS; id++) {
		bool first_row = true;

		if (!b->measured[id])
			continue;
		printf("%s    {\"name\": \"%s\", \"title\": ", first ? "" : ",\n",
		       sections[id].name);
		json_str(sections[id].title);
		printf(", \"unit\": \"%s\", \"level\": ",
		       sections[id].per_second ? "ops_per_s" : "ns");
		json_str(level_name[sections[id].levels]);
		printf(", \"rows\": [\n");
		for (int i = 0; i < row_count; i++) {
			if ((int)rows[i].section != id)
				continue;
			printf("%s", first_row ? "" : ",\n");
			json_row(b, i);
			first_row = false;
		}
		printf("\n    ]}");
		first = false;
	}
	printf("\n  ],\n");
}

static void json_memory(const struct bench *b)
{
	const struct memory *m = &b->mem;

	if (!b->run_memory) {
		printf("  \"memory\": null,\n");
		return;
	}
	printf("  \"memory\": {\"slots\": %ld, \"bytes_per_slot\": ", m->slots);
	json_num(m->per_slot);
	printf(", \"cache_bytes_per_slot\": ");
	json_num(m->cache_per_slot);
	printf(", \"xarray_bytes_per_slot\": ");
	json_num(m->xarray_per_slot);
	printf(", \"slab_growth_bytes_per_slot\": ");
	json_num(m->slab_per_slot);
	printf(", \"payload_bytes\": %d, \"object_size\": ",
	       MSGSLOT_CHANNELS * LEN);
	json_num((double)m->object_size);
	printf(", \"slab_size\": ");
	json_num((double)m->slab_size);
	printf(", \"objs_per_slab\": ");
	json_num((double)m->objs_per_slab);
	printf(", \"order\": ");
	json_num((double)m->order);
	printf(", \"merged\": %s, \"cache\": ", m->merged ? "true" : "false");
	json_str(m->cache);
	printf("},\n");
}

static void print_json(const struct bench *b, const struct utsname *uts,
		       const char *model)
{
	mark(b, "json-begin");
	printf("{\n  \"benchmark\": \"msgslot\",\n  \"label\": ");
	json_str(b->label);
	printf(",\n  \"kernel\": ");
	json_str(uts->release);
	printf(",\n  \"machine\": ");
	json_str(uts->machine);
	printf(",\n  \"cpu_model\": ");
	json_str(model);
	printf(",\n  \"cpus\": %d,\n  \"device\": ", b->ncpus);
	json_str(b->device);
	printf(",\n  \"major\": %u,\n  \"message_bytes\": %d,\n"
	       "  \"runs\": %d,\n  \"run_ms\": %ld,\n", b->major, LEN, b->runs,
	       b->run_ms);
	json_sections(b);
	json_memory(b);
	printf("  \"goals\": [\n");
	for (int i = 0; i < goal_count; i++) {
		printf("    {\"name\": ");
		json_str(goals[i].name);
		printf(", \"text\": ");
		json_str(goals[i].text);
		printf(", \"value\": ");
		json_num(goal_value(b, &goals[i]));
		printf(", \"limit\": %g, \"at_least\": %s, \"status\": "
		       "\"%s\"}%s\n", goals[i].limit,
		       goals[i].at_least ? "true" : "false",
		       goal_status(b, &goals[i]),
		       i + 1 < goal_count ? "," : "");
	}
	printf("  ]\n}\n");
	mark(b, "json-end");
}

/* ---- plot data ---------------------------------------------------------- */

/*
 * A block per section, named by a first comment line that starts with the
 * section's name (gnuplot: index "round_trip").  One level: a line per row,
 * label figure columns...; more: a line per level, label level, then the
 * first column of each row.
 */
static void data_section(const struct bench *b, enum section_id id)
{
	const struct section *s = &sections[id];
	const struct column *c;
	char num[32];
	int i, n;

	printf("# %s: label %s", s->name, s->levels == LEVEL_ONE ?
	       (s->per_second ? "ops_per_s" : "ns") : level_name[s->levels]);
	if (s->levels == LEVEL_ONE) {
		for (c = s->columns; c->key; c++)
			printf(" %s", c->key);
		printf("\n");
		for (i = 0; i < row_count; i++) {
			if (rows[i].section != id)
				continue;
			printf("\"%s\" %.1f", rows[i].plot ? rows[i].plot :
			       rows[i].name, b->fig[i][0].s.median);
			for (c = s->columns; c->key; c++)
				printf(" %.4f", column_value(b, i, c, 0));
			printf("\n");
		}
		return;
	}
	for (i = 0; i < row_count; i++)
		if (rows[i].section == id)
			printf(" %s", rows[i].name);
	printf(" (%s)\n", s->columns[0].key);
	for (n = 0; n < b->levels[id]; n++) {
		printf("\"%s\" %ld", grouped(num, sizeof(num),
					     b->level_value[id][n]),
		       b->level_value[id][n]);
		for (i = 0; i < row_count; i++)
			if (rows[i].section == id)
				printf(" %.4f", column_value(b, i,
							     &s->columns[0], n));
		printf("\n");
	}
}

static void print_data(const struct bench *b)
{
	mark(b, "data-begin");
	for (int id = 0; id < SECTIONS; id++) {
		if (!b->measured[id])
			continue;
		data_section(b, id);
		printf("\n\n");
	}
	if (b->run_memory)
		printf("# memory: bytes_per_slot payload_bytes slots\n"
		       "%.1f %d %ld\n", b->mem.per_slot,
		       MSGSLOT_CHANNELS * LEN, b->mem.slots);
	mark(b, "data-end");
}

void print_report(const struct bench *b)
{
	struct utsname uts;
	char model[256];

	uname(&uts);
	cpu_model(model, sizeof(model));
	print_table(b, &uts, model);
	print_json(b, &uts, model);
	print_data(b);
}

/* What bench measures, by name, a line each: for --list. */
void print_names(FILE *f)
{
	for (int id = 0; id < SECTIONS; id++)
		fprintf(f, "section %s\n", sections[id].name);
	fprintf(f, "section memory\n");
	for (int i = 0; i < row_count; i++)
		fprintf(f, "row %s %s\n", sections[rows[i].section].name,
			rows[i].name);
	for (int i = 0; i < goal_count; i++)
		fprintf(f, "goal %s\n", goals[i].name);
}
