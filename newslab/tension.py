"""The tension index: every event scored by the CAMEO event it is (the verb dictionary of PETRARCH2, with its
patterns) or by the hand-kept supplement (states, nouns, harm outside politics), weight = -Goldstein/10, with
negation; per sentence and per described date, with the peak flagged only when there is conflict (notebook 04)."""
from __future__ import annotations

import math
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from newslab.articles import Article
from newslab.cameo import Cues, load_cues, match_cue, supplement_cue
from newslab.paths import ROOT

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


CUE_DIR = ROOT / "data"  # cameo_*.csv (derived from CAMEO by newslab/cameo.py) and tension_supplement.csv
CUE_FILES = ("cameo_codes.csv", "cameo_verbs.csv", "cameo_patterns.csv", "cameo_synsets.csv", "tension_supplement.csv")
NEGATION_FACTOR = -0.5  # a negated cue counts with the opposite sign at half its weight
POLARITY_SHARE = 0.2  # TextBlob polarity (-1..1) scales a sentence's cue tension by up to 20 % (never creates it)
# The cues of one sentence mostly tell one event ("killed 75 and wounded 1,600"): its strongest cue counts whole,
# the others at this share (on the dev set, 1 = plain sum: 26 of 34 peaks; 0.5: 27; 0.25: 28; 0 = max alone: ties)
OTHER_CUES_SHARE = 0.25
# Events dated by these rules (their own expression, the same event told before, their clause, the past story they
# continue) count on their own date in tension_by_date; the others, dated by weaker rules, on their sentence's date.
OWN_DATES = ("own", "story year", "same event", "clause", "narrative")
CONFLICT_MIN = 0.4  # a cue this strong or stronger is conflict, threat, violence or danger (Goldstein -4 or worse)
NEGATION_WORDS = {"not", "n't", "no", "never", "without", "nor", "neither"}
PREVENTING_VERBS = {"avert", "avoid", "prevent", "halt", "stop", "end"}  # "averting the danger" negates danger
ACTOR_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"}
# People one meets, negotiates or agrees with when they are not named ("met the officials"): a contact verb's
# partner must be someone, or the verb is in another sense ("met with angry demands").
PEOPLE_NOUNS = {"official", "leader", "counterpart", "minister", "president", "delegation", "representative",
                "envoy", "diplomat", "ambassador", "group", "team", "government", "party", "side", "rebel",
                "opposition", "commander", "general", "union", "family", "member", "people", "executive", "board",
                "investor", "lawmaker", "senator", "prosecutor", "police", "officer", "negotiator", "mediator",
                "neighbour", "neighbor", "ally", "partner", "country", "nation", "state", "company", "firm",
                # and who fights, raids or protests (people, and the jets they fly)
                "soldier", "troop", "army", "force", "militia", "militant", "fighter", "insurgent", "guerrilla",
                "gunman", "attacker", "assailant", "sniper", "bomber", "terrorist", "pirate", "gang", "mob",
                "protester", "demonstrator", "crowd", "student", "villager", "resident", "civilian", "settler",
                "man", "woman", "suspect", "guard", "jet", "warplane"}
# Words that count people ("thousands of people", "a crowd of workers"): the counted are the actors.
QUANTITY_NOUNS = {"crowd", "number", "lot", "dozen", "hundred", "thousand", "million", "score", "handful", "mob",
                  "group", "band", "majority", "minority", "rest"}
# Routine business in which conflict and cooperation words are neither fighting nor diplomacy: "plea talks",
# "contract talks", "a price war", "a bidding war".
ROUTINE_DOMAINS = {"plea", "contract", "divorce", "custody", "wage", "pay", "salary", "licensing", "sponsorship",
                   "platform", "console", "browser", "streaming", "cola", "talent", "smartphone",
                   "transfer", "sales", "lease", "record", "book", "publishing", "distribution", "price", "bidding",
                   "fare", "proxy", "takeover", "ratings", "turf", "marketing", "advertising", "patent", "format",
                   "selling", "buying"}
# What one attacks with words: "attacked her rival's record", "assailed the plan" are criticism (CAMEO 111).
VERBAL_TARGETS = {"record", "policy", "plan", "proposal", "decision", "remark", "comment", "statement", "idea",
                  "stance", "position", "view", "bill", "law", "budget", "claim", "report", "leadership", "handling",
                  "approach", "strategy", "reform", "deal", "agreement", "move", "credibility", "character",
                  "integrity", "ruling", "verdict", "speech", "book", "film", "article", "campaign", "agenda"}
# Words of a market that make a fighting verb competition ("fought off a takeover bid", "fighting for market
# share", "battling to win back shoppers"), as a game's words make it play.
COMMERCE_WORDS = {"bid", "takeover", "merger", "acquisition", "market", "shopper", "customer", "consumer", "client",
                  "buyer", "price", "profit", "margin", "sale", "sales", "shareholder", "stake", "subscriber",
                  "contract", "franchise",
                  # and what results are measured against ("results that beat expectations", "beating estimates")
                  "expectation", "estimate", "forecast", "consensus", "projection", "earnings", "revenue"}
# Words of a contest that make a fighting or seizing verb competition: whom one beats ("beating five other
# shortlisted authors", "beat off stiff competition") and what one wins ("nabbing the number 1 spot on the charts",
# "captured 20 seats", "beat Lamar to the song of the year accolade").
CONTEST_WORDS = {"rival", "competitor", "candidate", "nominee", "finalist", "contender", "contestant", "entrant",
                 "shortlist", "shortlisted", "spot", "place", "title", "award", "prize", "trophy", "medal", "crown",
                 "slot", "chart", "ranking", "accolade", "nomination", "seat", "podium", "pole", "competition"}
# Verbs that show when they have an object ("it demonstrates her range"), and protest only without one (CAMEO 14).
SHOWING_VERBS = {"demonstrate"}
# Verbs that claim when what follows is a statement ("insisted she was not focused on it"), and demand only when
# it is a wish ("insisted that troops withdraw", "insisted on a vote": CAMEO 10).
CLAIMING_VERBS = {"insist"}
# Verb forms that begin a preposition: "according to police" names a source, not an accord.
PREPOSITION_VERBS = {"according": "to", "owing": "to"}
# Who can receive material cooperation (CAMEO 06x: aid, supplies, economic, military or judicial cooperation): the
# verb's object, indirect object or passive subject, or the object of these prepositions ("provided aid to Syria",
# "were aided by Britain").
RECIPIENT_DEPS = ("dobj", "dative", "nsubjpass")
RECIPIENT_PREPOSITIONS = {"to", "with", "for", "by"}
# A death told as natural (an obituary's "died peacefully at home", "died of cancer at 84") is no harm done: words
# of the death's own phrases that say so; and a "heart attack" is no attack.
NATURAL_DEATH_WORDS = {"peacefully", "naturally", "natural", "sleep", "illness", "ill", "cancer", "disease",
                       "pneumonia", "stroke", "complication", "alzheimer", "dementia", "leukemia", "leukaemia",
                       "tumor", "tumour", "age", "aged", "old", "home", "hospice", "failure", "heart", "aneurysm"}
MEDICAL_MODIFIERS = {"heart", "asthma", "panic", "anxiety", "seizure"}
DEATH_WORDS = {"die", "death"}
VIOLENT_DEATHS = {"shooting", "stabbing", "violent", "crash", "accident", "gun", "gunshot", "traffic", "overdose",
                  "drowning", "suspicious", "custody", "road"}  # what a death's modifier says killed: no natural one
# An injury with no cause, one person's ("I have been injured for a week"), is told like a natural death: no harm done.
INJURY_WORDS = {"injure", "injury"}
CAUSE_PREPOSITIONS = {"in", "from", "of", "after", "during", "following", "amid", "under"}  # "died in the blast"
# Words that make a sentence a game's ("beat City in the cup final", "attacked from the first whistle", "fought
# back and scored twice"): its fighting verbs are play. Nouns unless said otherwise; no word of war ("arms race").
SPORT_WORDS = {("match", "NOUN"), ("cup", ""), ("final", "NOUN"), ("tournament", ""), ("championship", ""),
               ("playoff", ""), ("semifinal", ""), ("quarterfinal", ""), ("halftime", ""), ("touchdown", ""),
               ("inning", ""), ("innings", ""), ("wicket", ""), ("goalkeeper", ""), ("referee", "NOUN"),
               ("whistle", "NOUN"), ("score", "VERB"), ("fixture", "NOUN"),
               # other sports: racing, tennis, basketball, boxing and fighting, golf, rugby, cricket, American games
               ("lap", "NOUN"), ("podium", ""), ("tiebreak", ""), ("tiebreaker", ""), ("rebound", "NOUN"),
               ("layup", ""), ("knockout", ""), ("bout", "NOUN"), ("heavyweight", ""), ("welterweight", ""),
               ("middleweight", ""), ("featherweight", ""), ("octagon", ""), ("undercard", ""), ("rematch", ""),
               ("birdie", ""), ("bogey", ""), ("putt", ""), ("scrum", ""), ("batsman", ""), ("bowler", ""),
               ("midfielder", ""), ("quarterback", ""), ("pitcher", ""), ("pole", "NOUN"), ("racer", "")}
# Competitions named in a sentence make it a game's too ("the Wimbledon final", "UFC 200", "the Brazilian Grand Prix").
COMPETITIONS = re.compile(r"\b(?:NBA|WNBA|NFL|NHL|MLB|UFC|FIFA|UEFA|ATP|WTA|PGA|Formula One|F1|Grand Prix|Wimbledon"
                          r"|Premier League|Champions League|World Cup|Super Bowl|Grand Slam|Olympics|Ryder Cup"
                          r"|Tour de France)\b")
# An election's words ("won a second term, easily defeating …", "voters punished the mayor"): its contest verbs
# (CONTEST_VERBS) are no fighting, unless police or troops are in the sentence.
ELECTION_WORDS = {"election", "vote", "voter", "ballot", "reelection", "re-election", "mayoral", "electorate",
                  "runoff", "term"}
CONTEST_VERBS = {"beat", "defeat", "crush", "trounce", "rout", "thrash", "punish", "dominate", "overwhelm", "fight",
                 "battle", "edge"}
# A game's result or clock in a sentence: "a 2-1 win", "won 3-0", "an aggregate score of 10-0", "a 17th-minute lead",
# a bout's "12th round", "unanimous decision" and scorecards ("scored 117-111").
GAME_RESULT = re.compile(r"\b\d{1,2}-\d{1,2}\s+(?:\w+\s+)?(?:win|victory|defeat|draw|loss|lead|thrashing)\b"
                         r"|\b(?:won|lost|beat|drew|score of|aggregate of)\s+\d{1,2}-\d{1,2}\b"
                         r"|\b\d+(?:st|nd|rd|th)[- ](?:minute|round)\b|\b(?:unanimous|split|majority) decision\b"
                         r"|\bscored\s+\d{2,3}-\d{2,3}\b", re.IGNORECASE)
# A match report: this share of an article's sentences (and at least two) tell a game (game_report), so that its
# other fighting words are play too; but never where police or troops are (FORCE_NOUNS).
GAME_SHARE = 0.25
FORCE_NOUNS = {"police", "policeman", "officer", "troop", "soldier", "army", "militia", "militant", "gunman",
               "terrorist", "rebel", "riot"}
# A review of a book, a film or a play (fiction_review): "review" in its source or title, and a work of fiction in
# its opening; the violence of its plot is no conflict in the news.
REVIEW = re.compile(r"\breviews?\b", re.IGNORECASE)
FICTION_WORKS = {"novel", "novella", "novelist", "thriller", "whodunit", "film", "movie", "screenplay", "playwright",
                 "musical", "opera", "sitcom", "play"}
# An obituary's title ("Stan Tracey, godfather of British jazz, dies aged 86"): a death it tells without violence in
# its sentence is natural ("I must announce the death of Stan Tracey today").
OBITUARY = re.compile(r"\b(?:dies|died|dead at|passes away|passed away|obituary|remembered)\b", re.IGNORECASE)
# Campaigning is a demand (CAMEO 100) only for or against something: "campaigning in Wales" is electioneering.
CAMPAIGN_VERBS = {"campaign"}
# Encircling with company is no siege: "he died surrounded by his family".
ENCIRCLE_LEMMAS = {"surround", "encircle"}
COMPANY_NOUNS = {"family", "friend", "relative", "child", "son", "daughter", "wife", "husband", "grandchild",
                 "parent", "mother", "father", "brother", "sister", "colleague", "admirer", "fan", "book", "flower"}
# Words of violence that are never play, whatever game a sentence tells ("a bomb exploded during the match").
LETHAL_LEMMAS = {"kill", "murder", "massacre", "die", "death", "dead", "bomb", "bombing", "explode", "explosion",
                 "shooting", "gunfire", "gunman", "stab", "stabbing", "assassinate", "assassination"}
# What one shoots with a camera: "the film, which was shot in Chicago", "shooting the video", "the shooting of
# the series" are filming, not violence.
FILMED = {"film", "movie", "scene", "video", "footage", "photo", "photograph", "picture", "episode", "documentary",
          "series", "commercial", "clip", "sequel", "season", "pilot", "advert", "advertisement"}
# What can be contained in CAMEO's sense (confined, CONFINE 170), beside any word with a cue of its own ("contain
# the protests", "contain the violence"): "a group containing the largest animals" holds, it does not confine.
CONTAINABLE = {"spread", "fire", "blaze", "damage", "leak", "spill", "flood", "outbreak", "epidemic", "virus",
               "disease", "unrest", "influence", "expansion", "inflation", "fallout", "contagion"}
# A crash, a collapse or a flight told of a market ("the 1987 crash", "a collapse in biotechnology shares", "when the
# market reopened, it crashed", "investors fled the market"): its sentence speaks of MARKET_WORDS and of nothing
# physical (STRUCTURE_WORDS, vehicles, people hurt), so no one is in danger (market_fall).
MARKET_FALLS = {"crash", "collapse", "flee"}
MARKET_WORDS = {"market", "stock", "share", "dow", "nasdaq", "index", "bond", "currency", "trading", "trader",
                "investor", "price", "point", "exchange", "futures", "equity", "bourse", "dollar", "yen", "euro",
                "sterling", "economy", "bubble", "bank", "banking"}
STRUCTURE_WORDS = {"plane", "jet", "aircraft", "helicopter", "car", "bus", "train", "truck", "lorry", "vehicle",
                   "ship", "boat", "ferry", "building", "bridge", "roof", "mine", "dam", "tunnel", "wall", "tower",
                   "house", "home", "stand", "passenger", "driver", "pilot", "victim", "rescuer", "body"}
# Pressing words that markets use for prices: "was pressured by profit-taking" (pressed_by_things).
PRESSING = {"pressure", "squeeze", "force"}
# The people one fires from a job, not at: "fired its chief executive" is a dismissal.
JOB_NOUNS = {"executive", "chief", "coach", "manager", "director", "employee", "worker", "staff", "editor",
             "chairman", "chairwoman", "officer", "secretary", "adviser", "advisor", "aide", "head", "boss", "ceo",
             "president", "minister", "commissioner", "spokesman", "spokeswoman", "teacher", "player"}
# Verbs so general that CAMEO's code for the verb alone is a guess ("takes" is not "seize", "hit" not "fight"):
# they count only when one of the dictionary's patterns matches their arguments.
GENERIC_VERBS = {"take", "hit", "face", "mean", "expect", "plan", "say", "go", "get", "put", "set", "run", "turn",
                 "need", "come", "bring", "see", "give", "keep", "hold", "call", "show", "lead", "make", "have", "do",
                 "engage", "match", "involve", "serve", "increase", "boost", "offer", "apply", "allow", "permit",
                 "support", "ease", "introduce", "step", "contribute", "join", "decide", "hurt", "fall", "drop",
                 "cut", "rise", "gain", "lose", "pay", "buy", "sell", "raise", "open", "close", "end", "start",
                 "begin", "move", "pass", "carry", "return", "work", "use", "find", "leave", "become", "help"}


def load_tension_cues(data_dir: str | Path = CUE_DIR) -> Cues:
    """The tension cues: the CAMEO verb tables derived by newslab/cameo.py and the hand-kept supplement."""
    return load_cues(data_dir)


def negation_of(tokens: list[Token]) -> str:
    """The word that negates a matched cue ('no', 'not', 'averting' …), or '' when the cue is not negated.

    Looks at the cue's head word and its governors up to the nearest verb: a negation word among their
    children ('no meetings', 'did not attack', 'never warned'), the preposition 'without' on the way up, or a
    preventing verb ('averting the danger', 'avoid a clash')."""
    inside = {t.i for t in tokens}
    head = next((t for t in tokens if t.head.i not in inside or t.head.i == t.i), tokens[0])
    word = head
    for _ in range(6):
        for child in word.children:
            if child.i not in inside and (child.dep_ == "neg" or child.lower_ in NEGATION_WORDS):
                return child.text
        if word.i not in inside and (word.lower_ == "without" or word.lemma_.lower() in PREVENTING_VERBS):
            return word.text
        if word.pos_ in ("VERB", "AUX") or word.head.i == word.i:
            break
        word = word.head
    return ""


def read_supplement(data_dir: str | Path = CUE_DIR) -> pd.DataFrame:
    """The hand-kept supplement to CAMEO (lemma, pos, weight, cameo_code, cameo_event, goldstein, source)."""
    return pd.read_csv(Path(data_dir) / "tension_supplement.csv", dtype={"cameo_code": str}, keep_default_na=False)


def is_actor(token: Token) -> bool:
    """Whether a word names someone who can act: a person, organisation or place entity, a pronoun, a proper noun,
    or a noun for people (PEOPLE_NOUNS)."""
    return (token.ent_type_ in ACTOR_LABELS or token.pos_ in ("PRON", "PROPN")
            or token.lemma_.lower() in PEOPLE_NOUNS or any(is_actor(g) for g in counted(token)))


def counted(token: Token) -> list[Token]:
    """What a number or a quantity counts ('thousands of people', 'dozens of protesters', 'a crowd of workers'):
    the nouns after its 'of'; none for other words."""
    if not (token.like_num or token.ent_type_ == "CARDINAL" or token.lemma_.lower() in QUANTITY_NOUNS):
        return []
    return [g for c in token.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children
            if g.dep_ == "pobj"]


def phrase_lemmas(token: Token) -> list[str]:
    """The lemmas of a word and the words that depend on it (its phrase)."""
    return [t.lemma_.lower() for t in token.subtree]


def verbal_target(token: Token) -> bool:
    """Whether a fighting verb's object is something said or decided, not someone or somewhere ('attacked her
    rival's record', 'assailed the plan'): criticism, CAMEO 111."""
    objects = [c for c in token.children if c.dep_ == "dobj"]
    return bool(objects) and all(c.lemma_.lower() in VERBAL_TARGETS for c in objects)


def in_business(token: Token) -> bool:
    """Whether a fighting verb's own phrase is about business or a contest (COMMERCE_WORDS, CONTEST_WORDS in its
    objects, prepositions or the clause it governs: 'fought off a takeover bid', 'fighting for market share',
    'battling to win back shoppers', 'beating five other shortlisted authors', 'nabbing the number 1 spot')."""
    return any(lemma in COMMERCE_WORDS for child in token.children
               if child.dep_ in ("dobj", "prep", "xcomp", "prt", "advcl") for lemma in phrase_lemmas(child)) or any(
        lemma in CONTEST_WORDS for child in token.children  # what is won or whom one beats, not "after the vote"
        if child.dep_ in ("dobj", "prt") or child.dep_ == "prep" and child.lower_ in ("for", "to")
        for lemma in phrase_lemmas(child))


def shown_or_claimed(token: Token) -> bool:
    """Whether a protest or demand verb only shows or claims: 'demonstrate' with an object ('it demonstrates her
    range'; SHOWING_VERBS), 'insist' with a statement ('insisted she was not focused on it'; CLAIMING_VERBS)."""
    lemma = token.lemma_.lower()
    if lemma in SHOWING_VERBS:
        return any(c.dep_ in ("dobj", "ccomp") for c in token.children)
    if lemma in CLAIMING_VERBS:
        # A statement is told in the past ('he was innocent'); a present form may be a wish ('that troops withdraw').
        said = [c for c in token.children if c.dep_ == "ccomp"]
        return bool(said) and all(c.tag_ == "VBD" or any(
            a.dep_ in ("aux", "auxpass") and a.lower_ in ("was", "were", "had") for a in c.children) for c in said)
    return False


def game_sentence(sentence: Span) -> bool:
    """Whether a sentence is about a game: SPORT_WORDS (a match, a cup final, a whistle, a lap, a bout), a
    competition (COMPETITIONS: 'the Wimbledon final', 'UFC 200') or a result or minute (GAME_RESULT: 'a 2-1 win',
    'a 17th-minute lead')."""
    return bool(GAME_RESULT.search(sentence.text) or COMPETITIONS.search(sentence.text)) or any(
        (word.lemma_.lower(), "") in SPORT_WORDS or (word.lemma_.lower(), word.pos_) in SPORT_WORDS
        for word in sentence)


def never_play(token: Token) -> bool:
    """Whether a word is real violence whatever game its sentence tells: a killing or bombing (LETHAL_LEMMAS), or
    any word beside police or troops (FORCE_NOUNS: 'police clashed with fans after the match')."""
    return token.lemma_.lower() in LETHAL_LEMMAS or any(word.lemma_.lower() in FORCE_NOUNS for word in token.sent)


def in_a_game(token: Token) -> bool:
    """Whether the word is play in a game (game_sentence) or a contest verb in an election (ELECTION_WORDS: 'won a
    second term, easily defeating …'), and not real violence (never_play)."""
    if never_play(token):
        return False
    return game_sentence(token.sent) or token.lemma_.lower() in CONTEST_VERBS and any(
        word.lemma_.lower() in ELECTION_WORDS for word in token.sent)


def game_report(article: Article) -> bool:
    """Whether a whole article reports a game (a match report): at least two of its sentences, and GAME_SHARE of
    them, are about one (game_sentence), so that its other sentences ('Khacherdi blocked Welbeck's flick with his
    arm') tell play too."""
    sentences = [sentence for paragraph in article.paragraphs for sentence in paragraph.doc.sents]
    games = sum(game_sentence(sentence) for sentence in sentences)
    return games >= 2 and games >= GAME_SHARE * len(sentences)


def fiction_review(article: Article) -> bool:
    """Whether an article reviews a work of fiction: 'review' in its source or title ('Kirkus Reviews', 'Macbeth
    review'), and a word for such a work (FICTION_WORKS) in its title, standfirst or first two body sentences ('a
    convoluted mystery/thriller'), so that the murders of its plot are no conflict in the news."""
    if not REVIEW.search(f"{article.source} {article.title}"):
        return False
    body = [sentence for paragraph in article.body[:2] for sentence in paragraph.doc.sents][:2]
    opening = set(re.split(r"\W+", f"{article.title} {article.standfirst}".lower())) | {
        part for sentence in body for word in sentence if word.pos_ in ("NOUN", "PROPN")
        for part in re.split(r"\W+", word.lemma_.lower())}  # "a convoluted mystery/thriller": its nouns
    return bool(opening & FICTION_WORKS)


def obituary_death(token: Token, article: Article) -> bool:
    """Whether a death word (DEATH_WORDS) is an obituary's natural death: the title says someone died (OBITUARY)
    and the death's sentence names no violence (LETHAL_LEMMAS, VIOLENT_DEATHS) nor police or troops."""
    return token.lemma_.lower() in DEATH_WORDS and bool(OBITUARY.search(article.title)) and not any(
        word.lemma_.lower() in (LETHAL_LEMMAS | VIOLENT_DEATHS | FORCE_NOUNS) - DEATH_WORDS for word in token.sent)


def played(token: Token, cue: dict) -> bool:
    """Whether a conflict cue in a match report (game_report) is play: not real violence (never_play: a killing, or
    police or troops in its sentence)."""
    return cue["weight"] >= CONFLICT_MIN and not never_play(token)


def demanded(token: Token) -> bool:
    """Whether a campaigning verb says what is demanded: 'campaigned for his release', 'against the war', 'to free
    him' (not a candidate or party: 'campaigned for Obama', 'campaigning in Wales during the election')."""
    for child in token.children:
        if child.dep_ == "xcomp" or child.dep_ == "prep" and child.lower_ == "against":
            return True
        if child.dep_ == "prep" and child.lower_ == "for" and any(
                g.dep_ == "pobj" and g.ent_type_ not in ("PERSON", "ORG", "NORP") and g.pos_ not in ("PRON", "PROPN")
                for g in child.children):
            return True
    return False


def filmed(token: Token) -> bool:
    """Whether 'shoot' or 'shooting' is filming: what is shot is a film, a scene, a video … (FILMED), as subject,
    object, 'of' object or possessor, or as the noun a relative or participle clause describes; or 'which was shot'
    in a sentence about a film ('the crime film Under the City, which was shot in Chicago')."""
    shot = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass", "dobj", "poss")]
    shot += [g for c in token.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children
             if g.dep_ == "pobj"]
    if token.dep_ in ("relcl", "acl"):
        shot.append(token.head)
    if any(c.dep_ == "nsubjpass" and c.lower_ == "which" for c in token.children):  # a thing, not someone shot
        shot += [word for word in token.sent if word.lemma_.lower() in FILMED]  # (the parse may miss which one)
    return any(word.lemma_.lower() in FILMED or any(c.dep_ == "compound" and c.lemma_.lower() in FILMED
                                                   for c in word.children) for word in shot)


def confines(token: Token, cues: Cues) -> bool:
    """Whether 'contain' confines something (CAMEO's CONFINE): its object is an event with a cue of its own or
    CONTAINABLE ('contain the protests', 'contain the spread'), not what something holds ('containing the largest
    animals', 'the bill contains provisions')."""
    objects = [c for c in token.children if c.dep_ == "dobj"]
    return any(o.lemma_.lower() in CONTAINABLE or supplement_cue(cues, o.lemma_.lower(), "NOUN") is not None
               for o in objects)


def pressed_by_things(token: Token, cue: dict) -> bool:
    """Whether pressing (PRESSING, CAMEO 170: 'pressured', 'forced') is told in the passive with a by-agent that is
    no one ('was pressured by brokerage recommendations', 'forced down by profit-taking'): markets and prices, not
    coercion."""
    agents = [g for c in token.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    return token.lemma_.lower() in PRESSING and str(cue.get("cameo_code")) == "170" and bool(agents) and not any(
        is_actor(g) for g in agents)


def bought(token: Token, cue: dict, cues: Cues) -> bool:
    """Whether 'order' (CAMEO's demand, 100, from the verb alone) buys something ('she ordered a pizza', 'pre-order
    it here'): no one is ordered (someone who acts as its object or passive subject, or a clause: 'ordered troops
    into the city', 'was ordered home', 'ordered the crowd to disperse') and nothing that is an act with a cue of
    its own, as a noun or as a verb ('ordered an embargo', 'ordered the strikes')."""
    if token.lemma_.lower() != "order" or cue["matched"] != "verb":
        return False
    ordered = [c for c in token.children if c.dep_ in ("dobj", "dative", "nsubjpass")]
    return not any(c.dep_ in ("xcomp", "ccomp") for c in token.children) and not any(
        is_actor(c) and c.lower_ not in ("it", "them", "one") or supplement_cue(cues, c.lemma_.lower(), "NOUN")
        or (match_cue(cues, c.lemma_.lower()) or {}).get("weight", 0) >= CONFLICT_MIN for c in ordered)


def market_fall(token: Token) -> bool:
    """Whether a crash, collapse or flight (MARKET_FALLS) is a market's: its sentence has MARKET_WORDS and no word of
    anything physical or anyone hurt (STRUCTURE_WORDS, LETHAL_LEMMAS, DEATH_WORDS, INJURY_WORDS)."""
    if token.lemma_.lower() not in MARKET_FALLS:  # asked of every event: its sentence is read only for these
        return False
    lemmas = {word.lemma_.lower() for word in token.sent}
    return bool(lemmas & MARKET_WORDS) and not lemmas & (STRUCTURE_WORDS | LETHAL_LEMMAS | DEATH_WORDS | INJURY_WORDS)


def in_company(token: Token) -> bool:
    """Whether an encircling verb ('surround', 'encircle') tells company, not a siege: who surrounds is family or
    friends (COMPANY_NOUNS: 'he died surrounded by his family', 'surrounded by loved ones')."""
    if token.lemma_.lower() not in ENCIRCLE_LEMMAS:
        return False
    agents = [g for c in token.children if c.dep_ == "agent" or c.dep_ == "prep" and c.lower_ in ("by", "with")
              for g in c.children if g.dep_ == "pobj"]
    return bool(agents) and all(g.lemma_.lower() in COMPANY_NOUNS or g.lemma_.lower() == "one" and any(
        c.lower_ == "loved" for c in g.children) for g in agents)


def natural_death(token: Token) -> bool:
    """Whether a death or injury ('died', 'death', 'injured'; DEATH_WORDS, INJURY_WORDS) is told as natural: its
    modifiers say so ('peacefully', 'of cancer', 'at home', 'in her sleep', NATURAL_DEATH_WORDS) or give an age
    ('at 84', 'aged 84'); or it has no cause at all ('he died in 2001', 'I have been injured for a week') and is
    one person's, not many ('247 people died', 'among hundreds injured'); never when something did it to
    someone ('the bombings injured 5,000')."""
    if any(c.dep_ == "dobj" for c in token.children):
        return False  # "the bombings ... injured nearly 5,000": something did it to someone
    if any(c.dep_ in ("compound", "amod") and c.lemma_.lower() in LETHAL_LEMMAS | VIOLENT_DEATHS
           for c in token.children):
        return False  # "last month's shooting death of a doctor", "a violent death"
    phrases = [c for c in token.children if c.dep_ in ("prep", "advmod", "npadvmod", "advcl", "acomp", "amod")]
    words = [w for c in phrases for w in c.subtree]
    if any(w.lemma_.lower() in NATURAL_DEATH_WORDS for w in words):
        return True
    if any(c.lower_ == "at" and any(g.dep_ == "pobj" and g.like_num for g in c.children) for c in phrases):
        return True
    causes = [c for c in phrases if c.dep_ == "advcl" or c.dep_ == "prep" and c.lower_ in CAUSE_PREPOSITIONS and any(
        g.dep_ in ("pobj", "pcomp") and g.ent_type_ not in ("DATE", "TIME", "GPE", "LOC") for g in c.children)]
    who = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass", "poss")]
    who += [token.head] if token.dep_ in ("acl", "amod") else []  # "among hundreds injured", "the number injured"
    many = any(w.like_num or w.tag_ in ("NNS", "NNPS") or w.lemma_.lower() in QUANTITY_NOUNS for w in who)
    return not causes and not many


def verb_arguments(verb: Token) -> tuple[list[str], list[str], list[str]]:
    """(object, preposition, subject) word lists of a verb, as CAMEO patterns need them."""
    objects, prepositions, subjects = [], [], []
    for child in verb.children:
        if child.dep_ in ("dobj", "attr", "oprd", "prt", "dative"):
            objects += phrase_lemmas(child)
        elif child.dep_ in ("acomp", "xcomp", "ccomp"):  # a clause: its verb, not all its words ("said that …")
            objects += [child.lemma_.lower()] + [c.lemma_.lower() for c in child.children if c.dep_ == "prt"]
        elif child.dep_ in ("prep", "agent"):
            prepositions += phrase_lemmas(child)
        elif child.dep_ in ("nsubj", "nsubjpass"):
            subjects += phrase_lemmas(child)
    return objects, prepositions, subjects


def in_preposition(token: Token) -> bool:
    """Whether a verb form is the first word of a preposition ('according to police'; PREPOSITION_VERBS)."""
    second = PREPOSITION_VERBS.get(token.lower_)
    return second is not None and any(c.lower_ == second for c in token.children)


def recipients(verb: Token) -> list[Token]:
    """Who or what a verb acts on: its RECIPIENT_DEPS, and the objects of its RECIPIENT_PREPOSITIONS (and by-agent)."""
    words = [c for c in verb.children if c.dep_ in RECIPIENT_DEPS]
    return words + [g for c in verb.children if c.dep_ in ("prep", "agent") and c.lower_ in RECIPIENT_PREPOSITIONS
                    for g in c.children if g.dep_ == "pobj"]


def verb_participants(verb: Token) -> list[Token]:
    """The heads of a verb's subject, object and by-agent (climbing to the clause it is joined to for a subject,
    or to the noun a participle phrase describes: 'Libyans suspected of blowing up a jet')."""
    words = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "dobj", "dative")]
    words += [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    word = verb
    for _ in range(5):  # "Moscow is ready to retaliate", "was arrested and charged": the subject up the clause
        if any(w.dep_ in ("nsubj", "nsubjpass") for w in words) or word.dep_ not in (
                "conj", "xcomp", "advcl", "acomp", "pcomp", "prep", "acl") or word.head == word:
            break
        if word.dep_ == "acl":  # "two Libyans suspected of blowing up a jet": the Libyans
            words.append(word.head)
            break
        if word.dep_ == "advcl" and any(c.dep_ == "mark" for c in word.children):
            break  # "officials said as dawn broke": a clause of its own, not the officials breaking
        word = word.head
        words += [c for c in word.children if c.dep_ in ("nsubj", "nsubjpass")]
    return words


def event_cue(token: Token, cues: Cues) -> dict | None:
    """The CAMEO (or supplement) cue of one event word in its event sense, or None.

    A verb: the supplement's row for it if there is one (a student's edit wins), else CAMEO's code for the verb
    with its arguments — for a generic verb (GENERIC_VERBS) only a pattern's code; a conflict code only when
    someone takes part (an actor as subject, object or agent); a contact or cooperation code only with someone
    as its partner ("met with angry demands" is no meeting), and a material cooperation code from the verb alone
    only with someone who receives it (recipients: "issued a statement" gives nothing to anyone). A noun or
    adjective: the supplement's row, only as the head of an event phrase — not a modifier of another noun, not
    routine business ("plea talks", "a price war"), and a cooperation noun whose content is a clause takes its
    sense from that clause ("an agreement to hide the losses" calms nothing). Never the first word of a
    preposition ("according to")."""
    lemma = token.lemma_.lower()
    if lemma in DEATH_WORDS | INJURY_WORDS and natural_death(token) or in_preposition(token) or market_fall(token):
        return None
    if token.pos_ == "VERB":
        cue = supplement_cue(cues, lemma, "VERB")
        if cue is not None:
            return cue
        if in_company(token):
            return None  # "surrounded by his family": company, not a siege
        if lemma == "shoot" and filmed(token) or lemma == "contain" and not confines(token, cues):
            return None  # "the film was shot in Chicago", "a group containing the largest animals"
        if lemma in CAMPAIGN_VERBS and not demanded(token):
            return None  # "he was campaigning in Wales during the election": electioneering, not a demand
        cue = match_cue(cues, lemma, *verb_arguments(token))
        if cue is None or (cue["matched"] == "verb" and lemma in GENERIC_VERBS) or bought(token, cue, cues):
            return None  # "takes", "hit", "faced": a code of their own only with a pattern ("take control");
            # "she ordered a pizza": a purchase
        if cue["weight"] >= CONFLICT_MIN and in_a_game(token):
            return None  # "United beat City 2-1 in the cup final"
        if cue["weight"] >= CONFLICT_MIN and verbal_target(token):  # "attacking her rival's record"
            return {**match_cue(cues, "criticize"), "lemma": lemma}
        if cue["weight"] >= CONFLICT_MIN and (in_business(token) or shown_or_claimed(token)) \
                or pressed_by_things(token, cue):
            return None  # "fought off a takeover bid", "battling to win back shoppers": competition, not conflict;
            # "it demonstrates her range", "she insisted she was not focused on it": showing, claiming;
            # "the company was pressured by brokerage recommendations": a share price
        if lemma == "fire" and any(c.dep_ == "dobj" and (c.ent_type_ == "PERSON" or c.lemma_.lower() in JOB_NOUNS)
                                   for c in token.children):
            return None  # "fired its chief executive": a dismissal
        if cue["weight"] > 0 and not any(is_actor(a) for a in verb_participants(token)):
            return None  # "prices hit a low", "the delay hurt sales": no one acts on anyone
        if cue["matched"] == "verb" and str(cue["cameo_code"]).startswith("06") and not any(
                is_actor(r) for r in recipients(token)):
            return None  # "ruled that", "issued a statement", "provides power": no one receives anything
        if cue["weight"] < 0:
            partners = [g for c in token.children if c.dep_ == "prep" and c.lower_ == "with"
                        for g in c.children if g.dep_ == "pobj"]
            if partners and not any(is_actor(g) for g in partners):
                return None
            objects = [c for c in token.children if c.dep_ == "dobj" and supplement_cue(cues, c.lemma_, "NOUN")]
            if objects and all(event_cue(c, cues) is None for c in objects):
                return None  # "reached an agreement to hide the losses": the agreement's sense is the verb's
        return cue
    cue = supplement_cue(cues, lemma, token.pos_)
    if cue is None or token.dep_ in ("compound", "amod") and token.pos_ == "NOUN" or lemma == "shooting" and filmed(
            token):
        return None
    if cue["weight"] >= CONFLICT_MIN and in_a_game(token):
        return None  # "missed two matches through injury", "a crushing 4-0 defeat"
    if any(c.dep_ in ("compound", "amod", "nmod") and c.lemma_.lower() in ROUTINE_DOMAINS | MEDICAL_MODIFIERS
           for c in token.children):
        return None  # "plea talks", "a price war": business, not diplomacy or fighting; "a heart attack": illness
    if cue["weight"] < 0:
        content = [c for c in token.children if c.dep_ in ("acl", "relcl") and c.pos_ == "VERB"
                   and any(a.tag_ == "TO" for a in c.children)]
        if content and not any((event_cue(c, cues) or {}).get("weight", 0) < 0 for c in content):
            return None
    return cue


LANDMARK_PREPOSITIONS = {"after", "before", "since", "until", "till", "following", "prior", "during", "throughout"}


def landmark(token: Token) -> bool:
    """Whether an event noun is a time landmark of its clause ('after the war', 'since the election', 'until the
    ceasefire', 'an entertainer during the second world war'): the clause happens before, after or within it, and
    the noun is no event the article describes."""
    head = token.head
    return token.pos_ == "NOUN" and token.dep_ == "pobj" and (head.lower_ in LANDMARK_PREPOSITIONS or (
        head.lower_ == "to" and head.head.lower_ == "prior"))


SCORE_COLUMNS = ["cameo_code", "cameo_event", "goldstein", "tension"]


def score_events(article: Article, events: pd.DataFrame, cues: Cues,
                 weights: dict[str, float] | None = None) -> pd.DataFrame:
    """The events table with each event's CAMEO code, event name, Goldstein score and tension (its cue's weight,
    times NEGATION_FACTOR when negated; 0 without a cue).
    `weights` overrides the weight of some lemmas."""
    weights = weights or {}
    report, fiction = game_report(article), fiction_review(article)
    rows = []
    for paragraph, end, lemma, negated, rule in zip(events["paragraph"], events["end"], events["lemma"],
                                                    events["negated"], events["dated_by"]):
        doc = article.paragraphs[int(paragraph)].doc  # the trigger's last token: 'war' in 'tug-of-war'
        token = doc.char_span(int(end) - 1, int(end), alignment_mode="expand")
        cue = event_cue(token[0], cues) if token is not None and len(token) else None
        if cue is not None and report and played(token[0], cue):
            cue = None  # a match report's "blocked his flick with his arm": play
        if cue is not None and fiction and cue["weight"] >= CONFLICT_MIN:
            cue = None  # a review's "her husband was murdered in front of her": the plot
        if cue is not None and obituary_death(token[0], article):
            cue = None  # "Stan Tracey … dies aged 86": "I must announce the death of Stan Tracey today"
        if cue is None:
            rows.append({"cameo_code": "", "cameo_event": "", "goldstein": float("nan"), "tension": 0.0})
            continue
        weight = float(weights.get(lemma, cue["weight"]))
        if rule not in ("own", "same event") and landmark(token[0]):
            weight = 0.0  # "moved to London after the war": a point in time for the clause, not what happened
        rows.append({"cameo_code": cue["cameo_code"], "cameo_event": cue["cameo_event"],
                     "goldstein": cue["goldstein"],
                     "tension": round(weight * (NEGATION_FACTOR if negated else 1.0), 4)})
    scored = pd.DataFrame(rows, columns=SCORE_COLUMNS, index=events.index)
    return pd.concat([events.drop(columns=[c for c in SCORE_COLUMNS if c in events]), scored], axis=1)


def sentence_matches(scored: pd.DataFrame) -> dict[tuple[int, int], list[dict]]:
    """(paragraph, sentence) -> the cued events of that sentence with a weight (a statement, 010, has none) as
    matches (cue, matched, start, end, weight, negated_by, contribution, cameo_code, and value and sort_key when
    the event has a date of its own, OWN_DATES; else `fallback`, its date by another rule), in text order."""
    found: dict[tuple[int, int], list[dict]] = {}
    for row in scored[(scored["cameo_code"] != "") & (scored["tension"] != 0)].itertuples():
        weight = row.tension / NEGATION_FACTOR if row.negated else row.tension
        found.setdefault((row.paragraph, row.sentence), []).append(
            {"cue": row.lemma, "matched": row.trigger, "start": row.start, "end": row.end, "weight": weight,
             "negated_by": row.negated, "contribution": row.tension, "cameo_code": row.cameo_code,
             **({"value": row.value, "sort_key": row.sort_key} if row.dated_by in OWN_DATES else
                {"fallback": (row.value, row.sort_key)} if row.dated_by != "undated" else {})})
    return {key: sorted(matches, key=lambda m: m["start"]) for key, matches in found.items()}


def sentence_tension(matches: list[dict], polarity: float = 0.0) -> float:
    """Tension of one sentence: its strongest cue plus OTHER_CUES_SHARE of the others, made up to POLARITY_SHARE
    stronger by a tone that agrees with it (negative tone for conflict, positive for cooperation) and weaker by
    one that does not; 0 without a cue, whatever the tone."""
    top = max((m["contribution"] for m in matches), key=abs, default=0.0)
    total = top + OTHER_CUES_SHARE * (math.fsum(m["contribution"] for m in matches) - top)
    if total == 0:
        return 0.0
    agreement = -polarity if total > 0 else polarity
    return round(total * (1 + POLARITY_SHARE * agreement), 3)


def format_cues(matches: list[dict]) -> str:
    """Fired cues as text, e.g. 'retaliate [1724] +0.70; meetings [040] (negated by no) +0.05'."""
    parts = []
    for m in matches:
        negated = f" (negated by {m['negated_by']})" if m["negated_by"] else ""
        code = f" [{m['cameo_code']}]" if m.get("cameo_code") else ""
        parts.append(f"{m['matched']}{code}{negated} {m['contribution']:+.2f}")
    return "; ".join(parts)


def sentence_buckets(row: object) -> dict[tuple[str, str], float]:
    """(value, sort_key) -> tension of one timeline row's events on that date: a cued event with a date of its
    own counts on it ('said on Tuesday that the Aug. 7 bombing killed 224': the bombing on Aug. 7), the others on
    the sentence's date (on their fallback date when the sentence has none: 'Chanting …, the unemployed took to
    the streets', whose main verb is a wish); a dated sentence without cues counts 0 on its date."""
    own = (row.value, row.sort_key) if row.dated_by != "undated" else None
    matches = getattr(row, "matches", None)
    if matches is None:  # a table without matches: the sentence's tension on its date
        return {own: float(row.tension)} if own else {}
    sums: dict[tuple[str, str], list[float]] = {own: []} if own else {}
    for m in matches:
        key = (m["value"], m["sort_key"]) if m.get("value") else own or m.get("fallback")
        if key is not None:
            sums.setdefault(key, []).append(m)
    return {key: sentence_tension(found, float(getattr(row, "polarity", 0.0))) for key, found in sums.items()}


def tension_by_date(timeline: pd.DataFrame) -> pd.DataFrame:
    """Tension per described date, from the events that happened on it: value, sort_key, tension_max (the most
    tense sentence's events on that date), tension_mean, n_sentences (sentences with an event on that date), and
    peak: true on the date(s) of the highest tension_max when that is conflict (CONFLICT_MIN or more)."""
    tensions: dict[tuple[str, str], list[float]] = {}  # (value, sort_key) -> one tension per sentence
    for row in timeline.itertuples():
        for key, tension in sentence_buckets(row).items():
            tensions.setdefault(key, []).append(tension)
    keys = sorted(tensions, key=lambda key: (key[1], key[0]))  # by sort_key, then value
    table = pd.DataFrame({"value": [value for value, _ in keys], "sort_key": [sort_key for _, sort_key in keys],
                          "tension_max": [max(tensions[key]) for key in keys],
                          "tension_mean": [math.fsum(tensions[key]) / len(tensions[key]) for key in keys],
                          "n_sentences": [len(tensions[key]) for key in keys]})
    table["tension_mean"] = table["tension_mean"].round(3)
    top = table["tension_max"].max() if keys else 0.0
    table["peak"] = (table["tension_max"] == top) & (top >= CONFLICT_MIN)  # ties are all peaks; no conflict, none
    if not keys:  # no dated sentence: an empty table, with the column types of a full one
        table = table.astype({"value": "str", "sort_key": "str", "tension_max": float, "tension_mean": float,
                              "n_sentences": int, "peak": bool})
    return table


def event_label(text: str, matches: list[dict], n_words: int = 4) -> str:
    """A few words for a sentence's event: its fired cues as written ('no meetings'), else its first words."""
    if matches:
        return ", ".join(f"{m['negated_by']} {m['matched']}" if m["negated_by"] else m["matched"] for m in matches)
    return " ".join(text.split()[:n_words]).strip(" ,.;:“”\"") + " …"


NEGATED_COLUMNS = ["paragraph", "sentence", "cue", "matched", "negated_by", "weight", "contribution"]


def negated_cues(timeline: pd.DataFrame) -> pd.DataFrame:
    """One row per negated cue of a timeline table: where, which cue, the negating word, weight and contribution."""
    rows = [{"paragraph": r.paragraph, "sentence": r.sentence, "cue": m["cue"], "matched": m["matched"],
             "negated_by": m["negated_by"], "weight": m["weight"], "contribution": m["contribution"]}
            for r in timeline.itertuples() for m in r.matches if m["negated_by"]]
    return pd.DataFrame(rows, columns=NEGATED_COLUMNS)


def most_tense_sentence(timeline: pd.DataFrame, value: str) -> pd.Series | None:
    """The timeline row whose events on a described date are the most tense: a sentence dated so, or one with a
    cued event dated so ('stabbed on Saturday night, police said on Monday'); None if no sentence describes it."""
    best, top = None, 0.0
    for index, row in zip(timeline.index, timeline.itertuples()):
        tension = next((t for (v, _), t in sentence_buckets(row).items() if v == value), None)
        if tension is not None and (best is None or tension > top):
            best, top = index, tension
    return None if best is None else timeline.loc[best]


def peak(by_date: pd.DataFrame) -> pd.DataFrame:
    """The peak rows of tension_by_date (more than one on a tie; none when the article describes no conflict)."""
    return by_date[by_date["peak"]]
