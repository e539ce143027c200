#!/usr/bin/env python3
"""Write a deterministic, realistic training pack of N modules for the benchmarks.

    gen_corpus.py N [--seed S] [--out DIR] [--target-kb KB] [--layouts L,...]

writes DIR/nN/ (default DIR: /tmp/trainpack-bench/corpus) with the same
content in four layouts:

  trainpack/  book.toml + modules/NNNN-slug/module.md + handouts/case-study-{1..4}.md,
              in the source format of FORMAT.md; `trainpack check` reports nothing
  mdbook/     book.toml + src/SUMMARY.md + src/NNNN-slug/{index,case-study-K}.md
  hugo/       hugo.toml + content/modules/NNNN-slug/{_index,case-study-K}.md + layouts/
  raw/        NNNN-slug/{module,case-study-K}.md: the trainpack bodies without
              front matter (the input of the pulldown-cmark floor, bench/floor)

Module i depends only on (seed, i): the first 10 modules of n1000 are the
modules of n10. Each module.md is about --target-kb (default 30) KiB.

For mdBook and Hugo the `:::` blocks become block quotes that open with a bold
label ("**Activity: ...** (10 min)", "**Answers**", ...), nested as the blocks
are; `{slide=N}` becomes `{#slide-N}`, followed by a line with the slide's
minutes, points and video; `handout:` and `module:` links become relative
links; the front matter (summary, duration, outcomes, key messages) becomes
Markdown at the top of the chapter. The raw layout keeps the trainpack bodies
byte for byte (fences stay as text: pulldown-cmark reads them as paragraphs).
"""

import argparse
import os
import random
import re
import shutil
import sys

# ---------------------------------------------------------------- vocabulary

TOPICS = [
    "Coordination with child protection actors", "Children's rights in peace operations",
    "Grave violations against children", "Child-sensitive interviewing",
    "Arrest and detention of children", "Referral of children's cases",
    "Working with the host State police", "Community-oriented policing",
    "Protection of civilians", "Sexual and gender-based violence",
    "Trafficking in persons", "Monitoring and reporting",
    "Information sharing and confidentiality", "Working with interpreters",
    "Juvenile justice and diversion", "Children associated with armed groups",
    "Mentoring and advising", "Crime scene management",
    "Community engagement", "Conduct and discipline",
    "Mission structure and mandates", "Human rights due diligence",
    "Public order management", "Situational awareness",
    "Safe schools and education", "Missing and separated children",
    "Cooperation with UN agencies", "Local authorities and traditional leaders",
    "Early warning and response", "Stress management for officers",
]

# (subject, is_plural)
SUBJECTS = [
    ("UN police officers", True), ("the facilitator", False), ("participants", True),
    ("each group", False), ("the Child Protection Advisor", False), ("the host State police", True),
    ("community leaders", True), ("the mission", False), ("focal points in the field offices", True),
    ("social workers", True), ("the specialised police unit", False), ("the team leader", False),
    ("UNICEF staff", True), ("the Human Rights Section", False), ("local authorities", True),
    ("the duty officer", False), ("mentors", True), ("the investigating officer", False),
    ("parents and caregivers", True), ("the child protection working group", False),
]

# (plural form, singular form)
VERBS = [
    ("should coordinate with", "should coordinate with"), ("need to consult", "needs to consult"),
    ("can refer cases to", "can refer cases to"), ("report regularly to", "reports regularly to"),
    ("work closely with", "works closely with"), ("are expected to consult", "is expected to consult"),
    ("must inform", "must inform"), ("often rely on", "often relies on"),
    ("share information with", "shares information with"), ("agree priorities with", "agrees priorities with"),
    ("plan joint visits with", "plans joint visits with"), ("should never bypass", "should never bypass"),
    ("build trust with", "builds trust with"), ("keep a record of contacts with", "keeps a record of contacts with"),
    ("ask for guidance from", "asks for guidance from"), ("follow up with", "follows up with"),
]

OBJECTS = [
    "the local child protection network", "the relevant UN agencies",
    "the specialised police unit", "the Child Protection Advisor",
    "community-based protection committees", "the juvenile court",
    "non-governmental organisations working with children", "the family",
    "the ministry responsible for social affairs", "the mission's focal point",
    "health and psychosocial services", "the prosecutor's office",
    "traditional and religious leaders", "school teachers and head teachers",
    "the corrections service", "the district administration",
]

TAILS = [
    "before the end of the first week of deployment",
    "whenever a child is involved, as victim, witness or suspect",
    "in line with the mission's standard operating procedures",
    "so that no case is lost between two services",
    "without putting the child at further risk",
    "as early as possible in the investigation",
    "even when the situation seems to call for speed",
    "while respecting the confidentiality of the child",
    "in a language the child understands",
    "with a written record of what was agreed",
    "at every stage of the process",
    "through the channels agreed in the mission",
    "during regular coordination meetings",
    "whenever an operation may affect children",
]

OPENERS = [
    "In practice, ", "For this reason, ", "As a rule, ", "Where possible, ",
    "In most missions, ", "Above all, ", "In the field, ", "Remind learners that ",
    "Experience shows that ", "At the same time, ", "", "", "", "",
]

PLACES = [
    "Liberia", "South Sudan", "the eastern Democratic Republic of the Congo",
    "Mali", "the Central African Republic", "Haiti", "Darfur", "Abyei",
    "Côte d'Ivoire", "Cyprus", "Kosovo", "Lebanon",
]

VERBS_OUTCOME = [
    "Explain", "Identify", "Describe", "Recognise", "Apply", "Know how to use",
    "Understand", "Compare", "Plan", "Assess",
]

NOUNS = [
    "coordination mechanisms", "referral pathways", "the roles of the main actors",
    "the standards on detention", "child-sensitive procedures", "reporting channels",
    "community networks", "the mission's mandate", "the six grave violations",
    "information management", "risk assessment", "the limits of a police role",
    "case management", "interview techniques", "confidentiality rules",
]

SLIDE_WORDS = [
    "Roles and responsibilities", "Who does what", "Working together",
    "Referral in practice", "Common pitfalls", "Standards and norms",
    "The legal framework", "Reporting channels", "Before you act",
    "Protecting the child", "Information and consent", "Practical steps",
    "Field examples", "Coordination meetings", "Building trust",
    "Dos and don'ts", "The first 48 hours", "Follow-up", "Mapping the actors",
    "Lessons learned", "Tools and templates", "Specialised units",
]

TABLE_HEADS = [
    ("Actor", "Role", "When to contact"),
    ("Risk", "Likelihood", "Mitigation"),
    ("Step", "Who", "Output"),
    ("Situation", "First action", "Refer to"),
]

CODE_WORDS = [
    "CP-01 referral form", "incident-log.xlsx", "SOP 4.2", "form A-7",
    "case-register.docx", "Annex III", "checklist-v2.pdf",
]


def toml_str(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def lower_first(text):
    return text[0].lower() + text[1:] if not text.startswith("UN") else text


def slugify(text):
    s = re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", ""))
    return s.strip("-")


def module_topic(seed, i):
    """The topic of module i; separate stream so other modules can link to it."""
    return random.Random(f"topic:{seed}:{i}").choice(TOPICS)


def module_slug(seed, i):
    return f"{i:04d}-{slugify(module_topic(seed, i))}"


# ---------------------------------------------------------------- prose

class Prose:
    def __init__(self, rng):
        self.rng = rng
        self.footnotes = 0

    def pick(self, seq):
        return self.rng.choice(seq)

    def clause(self, obj, tail):
        subject, plural = self.pick(SUBJECTS)
        verb = self.pick(VERBS)[0 if plural else 1]
        return f"{subject} {verb} {obj} {tail}"

    def sentence(self, decorate=True):
        r = self.rng
        obj = self.pick(OBJECTS)
        tail = self.pick(TAILS)
        if decorate:
            x = r.random()
            if x < 0.15:
                obj = f"**{obj}**"
            elif x < 0.27:
                tail = f"*{tail}*"
            elif x < 0.36:
                obj = f"[{obj}](https://example.org/guidance/{slugify(obj)})"
            elif x < 0.42:
                tail = f"{tail}, using the `{self.pick(CODE_WORDS)}`"
        x = r.random()
        if x < 0.12:
            text = f"Make sure that learners know {self.pick(NOUNS)}, because {self.clause(obj, tail)}"
        elif x < 0.22:
            text = f"{self.clause(obj, tail)}, and {self.clause(self.pick(OBJECTS), 'as well')}"
        elif x < 0.30:
            text = f"Ask learners why {self.clause(obj, tail)}"
        else:
            text = self.pick(OPENERS) + self.clause(obj, tail)
        return text[0].upper() + text[1:] + "."

    def paragraph(self, lo=3, hi=6):
        return " ".join(self.sentence() for _ in range(self.rng.randint(lo, hi)))

    def short(self, lo=1, hi=3):
        """A short phrase without Markdown: titles, slide points, table cells.
        lo..hi picks how many noun phrases it joins."""
        n = self.rng.randint(lo, hi)
        phrases = [self.pick(NOUNS if k % 2 == 0 else OBJECTS) for k in range(n)]
        link = self.pick([" and ", " with ", " for ", " in "])
        if n == 1:
            text = phrases[0]
        elif n == 2:
            text = link.join(phrases)
        else:
            text = ", ".join(phrases[:-1]) + " and " + phrases[-1]
        return text[0].upper() + text[1:]

    def question(self):
        return (f"{self.pick(['How', 'Why', 'When', 'In which cases'])} "
                f"{self.pick(['should', 'would', 'can', 'must'])} {self.pick(SUBJECTS)[0]} "
                f"{self.pick(['work with', 'contact', 'involve', 'inform'])} {self.pick(OBJECTS)}?")

    def bullets(self, lo=3, hi=6, indent=""):
        out = []
        for _ in range(self.rng.randint(lo, hi)):
            if self.rng.random() < 0.4:
                out.append(f"{indent}- **{self.short(1, 2)}:** {self.sentence(False)}")
            else:
                out.append(f"{indent}- {self.sentence()}")
            if self.rng.random() < 0.12:
                out.append(f"{indent}  - {self.sentence(False)}")
        return "\n".join(out)

    def numbered(self, n, indent=""):
        return "\n".join(f"{indent}{k}. {self.sentence()}" for k in range(1, n + 1))

    def table(self, lo=3, hi=6):
        head = self.pick(TABLE_HEADS)
        lines = ["| " + " | ".join(head) + " |", "|---|---|---|"]
        for _ in range(self.rng.randint(lo, hi)):
            lines.append(f"| {self.short(1, 2)} | {self.sentence(False)[:-1]} | {self.pick(SUBJECTS)[0]} |")
        return "\n".join(lines)


# ---------------------------------------------------------------- one module

class Section:
    def __init__(self, title, first, last):
        self.title, self.first, self.last = title, first, last
        self.chunks = []          # (Markdown, removable) pairs, joined by blank lines
        self.fillable = False     # may receive filler paragraphs

    def add(self, *texts, removable=False):
        self.chunks += [(t, removable) for t in texts]

    def text(self):
        return "\n\n".join(t for t, _ in self.chunks)


class Module:
    """The content of module i, independent of the output layout."""

    def __init__(self, seed, i, target_bytes):
        self.seed, self.i = seed, i
        self.rng = rng = random.Random(f"module:{seed}:{i}")
        self.p = p = Prose(rng)
        self.topic = module_topic(seed, i)
        self.slug = module_slug(seed, i)
        self.title = self.topic
        self.summary = p.sentence(False)
        self.outcomes = [f"{p.pick(VERBS_OUTCOME)} {p.pick(NOUNS)} {p.pick(TAILS)}"
                         for _ in range(rng.randint(3, 5))]
        self.key_messages = [p.sentence(False) for _ in range(rng.randint(3, 5))]
        self.activity_minutes = 0
        self.slides = []
        self.sections = []
        self.handouts = [self.make_handout(k) for k in range(1, 5)]
        self.build_sections()
        self.fill(target_bytes)

    # -- slides and sections

    def slide(self, title, minutes, video=None):
        p = self.p
        self.slides.append({
            "title": title,
            "minutes": minutes,
            "points": [p.short(1, 2) for _ in range(self.rng.randint(3, 4))],
            "video": video,
        })
        return len(self.slides)

    def section(self, title, first, last=None):
        s = Section(title, first, last or first)
        self.sections.append(s)
        return s

    def build_sections(self):
        rng, p = self.rng, self.p
        n_topic = rng.randint(9, 14)  # slides: n_topic + 6 (15..20); merged pairs add one
        # 1: learning outcomes
        s = self.section("Learning outcomes", self.slide("Learning outcomes", rng.randint(2, 4)))
        s.add(p.paragraph(2, 4), "Walk learners through the learning outcomes on the slide.")

        topic_numbers = []
        k = 0
        plenaries = set(rng.sample(range(n_topic), rng.randint(2, 3)))
        while k < n_topic:
            title = f"{p.pick(SLIDE_WORDS)}: {lower_first(p.short(1, 2))}"
            video = None
            if rng.random() < 0.12:
                video = f"https://youtu.be/{''.join(rng.choices('abcdefghijkLMNOPQRSTuvwxyz0123456789', k=11))}"
            first = self.slide(title, rng.randint(2, 5), video)
            last = first
            if k + 1 < n_topic and rng.random() < 0.12:   # one notes section for two slides
                last = self.slide(f"{title} (continued)", rng.randint(1, 3))
            s = self.section(title, first, last)
            s.fillable = True
            topic_numbers.append(first)
            if video:
                s.add(f"Show the short video *{p.short(1, 2)}*: <{video}>.")
            s.add(p.paragraph(1, 3))
            self.decorate(s)
            if k in plenaries or (last != first and k + 1 in plenaries):
                s.add(self.plenary_activity())
            k += 2 if last != first else 1

        # group work on the four case studies
        n = self.slide("Group work on case studies", rng.randint(2, 4))
        s = self.section("Group work on case studies", n)
        s.add("The next exercise uses four case studies, each showing a situation "
                        "that learners could face during their deployment:")
        s.add("\n".join(
            f"- [{h['title']}](handout:{h['id']}): {h['place']}, {lower_first(p.short(1, 3))};"
            for h in self.handouts))
        s.add(self.group_activity())
        if rng.random() < 0.6:
            s.add(self.note())

        # questions, key messages discussion, key messages (range)
        n = self.slide("Questions", rng.randint(2, 4))
        s = self.section("Questions", n)
        s.add("Invite learners to ask questions about anything covered in this module.", self.note())
        n = self.slide("Key messages", 1)
        s = self.section("Key messages", n)
        s.add(p.paragraph(2, 3), self.discussion_activity())
        a = self.slide("Key messages (1 of 2)", 1)
        b = self.slide("Key messages (2 of 2)", 1)
        s = self.section("Key messages", a, b)
        s.add("Present the key messages of the module:")
        s.add("\n".join(f"{k}. {m}" for k, m in enumerate(self.key_messages, 1)))
        s.add(self.quiz_activity())

        self.overview = [p.paragraph(3, 5), p.paragraph(2, 3)]
        if self.i > 1:
            prev = self.i - 1
            self.overview.append(f"This module builds on [Module {prev}](module:{module_slug(self.seed, prev)}). "
                                 + p.sentence(False))

    def decorate(self, s):
        """Adds the usual furniture of a notes section, at random."""
        rng, p = self.rng, self.p
        if rng.random() < 0.3:
            s.add(p.paragraph(2, 3), removable=True)
        if rng.random() < 0.45:
            s.add(p.bullets(3, 5), removable=True)
        if rng.random() < 0.2:
            s.add(f"### {p.short(1, 2)}\n\n{p.paragraph(2, 3)}", removable=True)
        if rng.random() < 0.2:
            s.add(p.table(3, 5), removable=True)
        if rng.random() < 0.3:
            s.add(self.note(), removable=True)
        if rng.random() < 0.3:
            p.footnotes += 1
            label = f"note-{p.footnotes}"
            s.add(f"{p.paragraph(2, 3)[:-1]}[^{label}].\n\n[^{label}]: {p.sentence(False)}", removable=True)

    def note(self):
        return f"::: note\n{self.p.paragraph(1, 2)}\n:::"

    def answers_body(self):
        rng, p = self.rng, self.p
        x = rng.random()
        if x < 0.25:
            return p.table(4, 6) + "\n\n" + p.paragraph(1, 2)
        if x < 0.5:
            return p.paragraph(1, 2) + "\n\n" + p.bullets(3, 5)
        return p.bullets(3, 6)

    def plenary_activity(self):
        rng, p = self.rng, self.p
        minutes = rng.choice([5, 5, 6, 7, 8, 10, 10, 12, 15])
        self.activity_minutes += minutes
        kind = p.pick(["Plenary discussion", "Short exercise", "Brainstorm", "Buzz groups"])
        title = f"{kind}: {lower_first(p.short(1, 2))}"
        parts = [f'::: activity title="{title}" minutes={minutes}',
                 "Put this question to the whole group:",
                 f"> {p.question()}",
                 f"Collect a few answers. Give them {minutes} minutes, then fill in the gaps using the possible answers below."]
        if rng.random() < 0.3:
            parts.append(self.note())
        parts.append(f"::: answers\n{self.answers_body()}\n:::\n:::")
        return "\n\n".join(parts)

    def group_activity(self):
        rng, p = self.rng, self.p
        n = rng.randint(3, 4)
        minutes = rng.choice([30, 40, 45, 45, 50, 60])
        self.activity_minutes += minutes
        # split minutes into n positive parts that add up exactly
        cuts = sorted(rng.sample(range(1, minutes // 5), n - 1))
        parts = [b - a for a, b in zip([0] + cuts, cuts + [minutes // 5])]
        parts = [5 * x for x in parts]
        parts[-1] += minutes - sum(parts)
        steps = "\n".join(f"- {m} min: {p.sentence(False)[:-1]}" for m in parts)
        lines = [f'::: activity title="Group work on case studies" minutes={minutes}',
                 f"::: steps\n{steps}\n:::",
                 p.numbered(rng.randint(4, 5))]
        return "\n\n".join(lines) + "\n:::"

    def discussion_activity(self):
        minutes = self.rng.choice([5, 5, 10])
        self.activity_minutes += minutes
        return "\n\n".join([
            f'::: activity title="Discussion: the key messages of this module" minutes={minutes}',
            "Ask the whole group, and encourage learners to discuss:",
            "> What are the key messages of this module?",
            "Then fill in what is missing using the answers on the next two slides.",
            f"::: answers\n{self.p.paragraph(2, 3)}\n:::\n:::"])

    def quiz_activity(self):
        rng, p = self.rng, self.p
        minutes = rng.choice([10, 10, 15])
        self.activity_minutes += minutes
        n_choice = rng.randint(4, 6)
        open_at = rng.randint(0, n_choice)   # position of the open question
        items = []
        q = 0
        for k in range(n_choice + 1):
            q += 1
            if k == open_at:
                items.append(f"{q}. {p.question()} Name two.\n\n"
                             f"   ::: answers\n   {p.paragraph(1, 2)}\n   :::\n")
                continue
            opts = [p.short(1, 3) for _ in range(rng.randint(3, 4))]
            correct = set(rng.sample(range(len(opts)), rng.choice([1, 1, 1, 2])))
            lines = [f"{q}. {p.question()}"]
            lines += [f"   - [{'x' if j in correct else ' '}] {o}" for j, o in enumerate(opts)]
            items.append("\n".join(lines))
        quiz = '::: quiz title="End of module quiz"\n' + "\n".join(items).rstrip("\n") + "\n:::"
        return "\n\n".join([
            f'::: activity title="End of module quiz" minutes={minutes}',
            f"Hand out the quiz and give learners {minutes} minutes to answer the questions. "
            "Then go through the answers together.",
            quiz]) + "\n:::"

    # -- handouts

    def make_handout(self, k):
        rng, p = self.rng, self.p
        place = p.pick(PLACES)
        n = rng.randint(2, 4)
        scenario = [f"You are deployed with the UN Police in {place}. {p.paragraph(3, 4)}", p.paragraph(2, 3)]
        questions = "\n".join(f"{j}. {p.question()}" for j in range(1, n + 1))
        answers = []
        for j in range(1, n + 1):
            answers.append(f"{j}. {p.sentence()} {p.sentence(False)}")
            if rng.random() < 0.3:
                answers += [f"   - {p.sentence(False)}" for _ in range(rng.randint(2, 3))]
        body = "\n\n".join(scenario + [f"::: questions\n{questions}\n:::",
                                       "::: answers\n" + "\n".join(answers) + "\n:::"]) + "\n"
        return {"id": f"case-study-{k}", "title": f"Case Study {k}", "place": place, "body": body}

    # -- size

    def body(self):
        parts = ["\n\n".join(self.overview)]
        for s in self.sections:
            rng = f"{s.first}" if s.first == s.last else f"{s.first}-{s.last}"
            parts.append(f"## {s.title} {{slide={rng}}}\n\n" + s.text())
        return "\n\n".join(parts) + "\n"

    def size(self):
        return len(self.front_matter().encode()) + len(self.body().encode())

    def fill(self, target_bytes):
        """Drops optional chunks while the module is too big, then adds
        paragraphs and lists until it reaches the target."""
        rng = self.rng
        size = self.size()
        while size > target_bytes:
            removable = [(s, k) for s in self.sections for k, (_, r) in enumerate(s.chunks) if r]
            if not removable:
                break
            s, k = rng.choice(removable)
            size -= len(s.chunks.pop(k)[0].encode()) + 2
        fillable = [s for s in self.sections if s.fillable]
        while size < target_bytes:
            s = rng.choice(fillable)
            chunk = self.p.bullets() if rng.random() < 0.2 else self.p.paragraph()
            # anywhere after the section's opening paragraph
            s.chunks.insert(rng.randint(1, len(s.chunks)), (chunk, True))
            size += len(chunk.encode()) + 2

    # -- trainpack layout

    @property
    def duration(self):
        return sum(s["minutes"] for s in self.slides) + self.activity_minutes

    def duration_text(self):
        h, m = divmod(self.duration, 60)
        if h == 0:
            return f"{m}min"
        return f"{h}h" if m == 0 else f"{h}h{m:02d}"

    def front_matter(self):
        out = ["+++", f"number = {self.i}", f"title = {toml_str(self.title)}",
               f"duration = {toml_str(self.duration_text())}", f"summary = {toml_str(self.summary)}"]
        for key, values in (("outcomes", self.outcomes),
                            ("activities", ["Presentation", "Plenary discussion",
                                            "Group work on case studies", "Debriefing", "Quiz"]),
                            ("key_messages", self.key_messages)):
            out.append(f"{key} = [")
            out += [f"  {toml_str(v)}," for v in values]
            out.append("]")
        for s in self.slides:
            out += ["", "[[slides]]", f"title = {toml_str(s['title'])}", f"minutes = {s['minutes']}"]
            if s["video"]:
                out.append(f"video = {toml_str(s['video'])}")
            out.append("points = [" + ", ".join(toml_str(x) for x in s["points"]) + "]")
        out.append("+++")
        return "\n".join(out) + "\n\n"


# ---------------------------------------------------------------- mdBook / Hugo

FENCE = re.compile(r"^(\s*)(:{3,})\s*(.*)$")
ATTR = re.compile(r'(\w+)=("([^"]*)"|\S+)')
HEADING = re.compile(r"^## (.*) \{slide=(\d+)(?:-(\d+))?\}$")


def label(kind, attrs):
    a = {m.group(1): (m.group(3) if m.group(3) is not None else m.group(2)) for m in ATTR.finditer(attrs)}
    if kind == "activity":
        return f"**Activity: {a.get('title', 'Activity')}** ({a.get('minutes')} min)"
    if kind == "quiz":
        return f"**Quiz: {a.get('title', 'Quiz')}**"
    return f"**{kind.capitalize()}**"


def to_commonmark(body, links):
    """Turns `:::` blocks into nested block quotes; `links(dest)` rewrites a destination."""
    stack = []  # indents of the open blocks

    def prefix(depth):
        out, parent = "", 0
        for ind in stack[:depth]:
            out += " " * (ind - parent) + "> "
            parent = ind
        return out

    out = []
    for line in body.split("\n"):
        m = FENCE.match(line)
        if m:
            ind = len(m.group(1))
            rest = m.group(3).strip()
            if rest:
                kind, _, attrs = rest.partition(" ")
                stack.append(ind)
                out.append(prefix(len(stack)) + label(kind, attrs))
                out.append(prefix(len(stack)).rstrip())
            else:
                stack.pop()
                out.append(prefix(len(stack)).rstrip())
            continue
        line = re.sub(r"\]\((handout|module):([^)\s]+)\)", lambda m: "](" + links(m.group(1), m.group(2)) + ")", line)
        if not stack:
            out.append(line)
            continue
        ind = stack[-1]
        text = line[ind:] if line[:ind].strip() == "" else line.lstrip()
        out.append((prefix(len(stack)) + text).rstrip())
    return "\n".join(out)


def chapter(mod, links):
    """A module as one Markdown page for mdBook or Hugo."""
    head = [f"# {mod.i}. {mod.title}", mod.summary,
            f"**Duration:** {mod.duration_text()}",
            "### Learning outcomes", "\n".join(f"- {o}" for o in mod.outcomes),
            "### Key messages", "\n".join(f"- {k}" for k in mod.key_messages)]
    lines = []
    for line in to_commonmark(mod.body(), links).split("\n"):
        m = HEADING.match(line)
        if not m:
            lines.append(line)
            continue
        first = int(m.group(2))
        last = int(m.group(3) or first)
        lines.append(f"## {m.group(1)} {{#slide-{first}}}")
        for n in range(first, last + 1):
            s = mod.slides[n - 1]
            info = f"*Slide {n}, {s['minutes']} min: " + "; ".join(s["points"]) + ".*"
            if s["video"]:
                info += f" Video: <{s['video']}>"
            lines += ["", info]
    return "\n\n".join(head) + "\n\n" + "\n".join(lines)


def handout_page(h, links):
    return f"# {h['title']}\n\n" + to_commonmark(h["body"], links)


HUGO_CONFIG = """baseURL = "https://example.org/"
languageCode = "en"
title = "Benchmark training pack"
disableKinds = ["taxonomy", "term"]
"""

HUGO_LAYOUTS = {
    "baseof.html": """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} | {{ .Site.Title }}</title></head>
<body><nav><a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a></nav>
<main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "single.html": """{{ define "main" }}<article>{{ .Content }}</article>{{ end }}
""",
    "list.html": """{{ define "main" }}<article>{{ .Content }}</article>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
""",
}


# ---------------------------------------------------------------- writing

class Out:
    def __init__(self):
        self.bytes = {}

    def write(self, layout, path, text):
        data = text.encode("utf-8")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        self.bytes[layout] = self.bytes.get(layout, 0) + len(data)


def book_toml(n):
    return f"""[pack]
title = "Benchmark pack of {n} modules"
subtitle = "Synthetic trainer's materials"
language = "en"
authors = ["trainpack bench"]
description = "A generated pack that looks like a real trainer's guide, for timing builds."

[pdf]
paper = "a4"

[schedule]
start = "09:00"
day_end = "17:30"
breaks = [ {{ at = "10:30", minutes = 15, title = "Coffee" }},
           {{ at = "12:30", minutes = 60, title = "Lunch" }},
           {{ at = "15:30", minutes = 15, title = "Coffee" }} ]
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int, help="number of modules")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", default="/tmp/trainpack-bench/corpus", help="parent folder; writes OUT/nN")
    ap.add_argument("--target-kb", type=float, default=30.0, help="size of each module.md in KiB")
    ap.add_argument("--layouts", default="trainpack,mdbook,hugo,raw")
    args = ap.parse_args()
    if args.n < 1 or args.n > 9999:
        ap.error("N must be between 1 and 9999 (module folders are numbered with 4 digits)")
    layouts = args.layouts.split(",")
    root = os.path.join(args.out, f"n{args.n}")
    if os.path.exists(root):
        shutil.rmtree(root)
    out = Out()
    tp, mb, hg, raw = (os.path.join(root, x) for x in ("trainpack", "mdbook", "hugo", "raw"))

    if "trainpack" in layouts:
        out.write("trainpack", f"{tp}/book.toml", book_toml(args.n))
    if "mdbook" in layouts:
        out.write("mdbook", f"{mb}/book.toml",
                  f'[book]\ntitle = "Benchmark pack of {args.n} modules"\nauthors = ["trainpack bench"]\n'
                  'language = "en"\nsrc = "src"\n\n[output.html]\n')
    if "hugo" in layouts:
        out.write("hugo", f"{hg}/hugo.toml", HUGO_CONFIG)
        out.write("hugo", f"{hg}/content/_index.md", '+++\ntitle = "Benchmark training pack"\n+++\n\nAll modules.\n')
        out.write("hugo", f"{hg}/content/modules/_index.md", '+++\ntitle = "Modules"\n+++\n')
        for name, text in HUGO_LAYOUTS.items():
            out.write("hugo", f"{hg}/layouts/_default/{name}", text)

    def mdbook_links(kind, dest):
        return f"{dest}.md" if kind == "handout" else f"../{dest}/index.md"

    def hugo_links(kind, dest):
        return f"{dest}/" if kind == "handout" else f"../{dest}/"

    summary = ["# Summary", ""]
    module_bytes = 0
    for i in range(1, args.n + 1):
        mod = Module(args.seed, i, int(args.target_kb * 1024))
        body = mod.body()
        module_bytes += len((mod.front_matter() + body).encode())
        if "trainpack" in layouts:
            d = f"{tp}/modules/{mod.slug}"
            out.write("trainpack", f"{d}/module.md", mod.front_matter() + body)
            for h in mod.handouts:
                out.write("trainpack", f"{d}/handouts/{h['id']}.md",
                          f"+++\ntitle = {toml_str(h['title'])}\n+++\n\n{h['body']}")
        if "raw" in layouts:
            out.write("raw", f"{raw}/{mod.slug}/module.md", body)
            for h in mod.handouts:
                out.write("raw", f"{raw}/{mod.slug}/{h['id']}.md", h["body"])
        if "mdbook" in layouts:
            out.write("mdbook", f"{mb}/src/{mod.slug}/index.md", chapter(mod, mdbook_links))
            summary.append(f"- [{i}. {mod.title}]({mod.slug}/index.md)")
            for h in mod.handouts:
                out.write("mdbook", f"{mb}/src/{mod.slug}/{h['id']}.md", handout_page(h, mdbook_links))
                summary.append(f"  - [{h['title']}]({mod.slug}/{h['id']}.md)")
        if "hugo" in layouts:
            d = f"{hg}/content/modules/{mod.slug}"
            out.write("hugo", f"{d}/_index.md",
                      f"+++\ntitle = {toml_str(f'{i}. {mod.title}')}\nweight = {i}\n+++\n\n" + chapter(mod, hugo_links))
            for k, h in enumerate(mod.handouts, 1):
                out.write("hugo", f"{d}/{h['id']}.md",
                          f"+++\ntitle = {toml_str(h['title'])}\nweight = {k}\n+++\n\n" + handout_page(h, hugo_links))
    if "mdbook" in layouts:
        out.write("mdbook", f"{mb}/src/SUMMARY.md", "\n".join(summary) + "\n")

    print(f"{root}: {args.n} modules, module.md {module_bytes / args.n / 1024:.1f} KiB on average (seed {args.seed})")
    for layout in layouts:
        b = out.bytes.get(layout, 0)
        print(f"  {layout:<10} {b:>12} bytes  ({b / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
