#!/usr/bin/env python3
"""Generate the bundled sample dataset of partnernet (data/sample/).

Everything here is fictional: organisation names, towns, people and Wikidata
QIDs are invented (the QIDs are in a high range Q999999xxx and are not meant
to refer to real items). Country codes are real ISO 3166-1 alpha-2 codes, so
the tool can derive UN M49 sub-regions.

Deterministic: standard library only, random.Random(42), hand-written name
parts and hand-picked structural features (see the FEATURES block printed at
the end and the comments below).

Usage:  python3 data/make_sample.py            (writes data/sample/*.csv)
        python3 data/make_sample.py --earlier   (writes data/sample-2023/: the
            same movement as recorded at the end of 2023, for `partnernet
            compare data/sample-2023 data/sample`; data/sample is left alone)

The earlier snapshot is derived from the same generated rows, with no random
draws: relations and interviews dated before 2024 (past partnerships dated
2024 were still active partnerships then), lead statuses as they stood at the
end of 2023, no organisation that only 2024 rows name, and one museum under
its former id and name (the same Wikidata item), as a renamed organisation
looks in two rounds of data. Interview notes (all from before 2024) and
partnernet.toml are copied from data/sample; run make_notes.py first.
"""
import csv
import os
import random
import shutil
import sys
import unicodedata

rng = random.Random(42)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "sample")

TRANSLIT = {"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ð": "d", "Ð": "D",
            "þ": "th", "Þ": "Th", "ß": "ss", "đ": "d", "Đ": "D", "ł": "l"}


def ascii_fold(s):
    s = "".join(TRANSLIT.get(c, c) for c in s)
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c))


def norm(s):
    return " ".join(ascii_fold(s).lower().split())


STOP = {"of", "de", "di", "i", "for", "am", "an", "der", "la", "del", "do", "da", "des", "du", "the", "and"}


def slug(s, maxlen=40):
    s = ascii_fold(s).lower().replace("'", "").replace("\u2019", "")
    out, dash = [], False
    for c in s:
        if c.isascii() and c.isalnum():
            out.append(c)
            dash = False
        elif not dash:
            out.append("-")
            dash = True
    s = "".join(out).strip("-")
    if len(s) > maxlen:
        s = s[:maxlen].rsplit("-", 1)[0]
        parts = s.split("-")
        while len(parts) > 2 and parts[-1] in STOP:
            parts.pop()
        s = "-".join(parts)
    return s


# ---------------------------------------------------------------------------
# Regions, countries, invented towns
# ---------------------------------------------------------------------------
TOWNS = {
    "SE": ["Vallmora", "Holmvika", "Ljusneby", "Tallåsen", "Grävlinge", "Björkavik", "Östra Sälje"],
    "NO": ["Ørnvika", "Fjordhamar", "Stålvik", "Breilia", "Trollnes"],
    "FI": ["Karvala", "Kuusimaa", "Revontaipale", "Järvenkylä"],
    "DK": ["Lyngsbæk", "Skovrup", "Kestrup", "Sandholme"],
    "IS": ["Hrafnsey", "Vindafjörður"],
    "EE": ["Vahtsepa", "Rüütliküla"],
    "DE": ["Brackenau", "Eichenwald am Tann", "Lindhausen", "Sturmfeld"],
    "AT": ["Hohenfurt an der Mur", "Gmundau"],
    "CH": ["Alpnachtal", "Seewiler"],
    "FR": ["Valmonde", "Saint-Aubrac-des-Landes", "Montclaret", "Brévigny"],
    "BE": ["Saint-Orvel", "Tervalen", "Lommelsdorp"],
    "NL": ["Zeewold aan de Vliet", "Dijkmeer", "Oosterbroek"],
    "IT": ["Valdoria", "Montecastro", "Sanfelice Alto", "Porto Ceriale"],
    "ES": ["Castellar de la Sierra", "Villanubla del Río", "Peñarrubia"],
    "PT": ["Lusvéria", "Vila Serrana", "Ribeira Funda"],
    "SI": ["Kamniška Vas", "Brezovje pri Krki"],
    "HR": ["Zavrnik", "Sveti Dujam"],
    "KE": ["Mazarani", "Kilifu", "Ol Kerio"],
    "UG": ["Nyakabira", "Bugembe Hill"],
    "TZ": ["Mwambaru", "Kisiwani Kusi"],
    "RW": ["Bukoro"],
    "ET": ["Adwera"],
    "GH": ["Kessaro", "Anyinam Kofi"],
    "NG": ["Oyedun", "Ikotun-Ale"],
    "SN": ["Ndiabène", "Thiawlène"],
    "BJ": ["Adjarra-Koué"],
    "BR": ["Vila Catarinha", "São Bento do Sertão Alto", "Pedra Azulada"],
    "AR": ["Pampa Alta", "Villa Quebracho"],
    "CL": ["Tierra Cobre", "Puerto Alerce"],
    "CO": ["Río Azulejo", "San Jacinto de los Andes"],
    "PE": ["San Amaru", "Huaylloc"],
    "ID": ["Nusakara", "Pulau Lembayung", "Tanjung Serindit"],
    "MY": ["Pulau Seranti", "Kuala Merbau"],
    "PH": ["Lakandula Bay", "San Isidro Lawa"],
    "VN": ["Sông Hoa", "Phú Lâm Thượng"],
    "TH": ["Ban Khlong Rua", "Mueang Saeng"],
    "IN": ["Madhuvan Hills", "Raghunagari"],
    "BD": ["Padmapara", "Charbhanga"],
    "NP": ["Kirtipura", "Lekhnath Tole"],
    "LK": ["Kelani Vale", "Ruwanpitiya"],
    "TN": ["Qasr Nadir", "Oued Zelmane"],
}

LANG = {"SE": "sv", "NO": "no", "FI": "fi", "DK": "da", "DE": "de", "AT": "de",
        "CH": "de", "FR": "fr", "BE": "fr", "NL": "nl", "IT": "it", "ES": "es",
        "AR": "es", "CL": "es", "CO": "es", "PE": "es", "PT": "pt", "BR": "pt",
        "SN": "fr", "BJ": "fr", "TN": "fr", "ID": "id", "MY": "id", "VN": "vi"}

# kind -> list of (local-language pattern, English pattern); {t} is the town.
T = {
    "en": {
        "museum": ["{t} Folk Museum", "{t} Museum of Natural History", "{t} Railway Museum",
                   "{t} Regional Museum", "{t} Museum of Textiles", "{t} Heritage Centre"],
        "library": ["{t} Public Library", "{t} Central Library", "{t} Children's Library",
                    "{t} Mission Library"],
        "archive": ["{t} Municipal Archives", "{t} Photo Archive", "{t} Oral History Archive",
                    "{t} Church Records Office"],
        "gallery": ["{t} Art Gallery", "{t} Gallery of Contemporary Art"],
        "university": ["University of {t}", "{t} Polytechnic", "{t} College of Education"],
        "research": ["{t} Institute of Linguistics", "{t} Centre for Cultural Research"],
        "government": ["{t} County Heritage Board", "{t} Department of Culture"],
        "media": ["{t} Community Radio", "The {t} Courier"],
        "company": ["{t} Scanning Services Ltd", "{t} Printing Works"],
        "ngo": ["Friends of {t} Heritage", "{t} Storytellers Association"],
        "other": ["{t} Cathedral Chapter", "{t} Botanical Garden"],
    },
    "sv": {
        "museum": [("{t} stadsmuseum", "{t} City Museum"), ("{t} länsmuseum", "{t} County Museum"),
                   ("Sjöfartsmuseet i {t}", "{t} Maritime Museum"), ("{t} hembygdsmuseum", "{t} Local History Museum"),
                   ("{t} konstmuseum", "{t} Art Museum")],
        "library": [("{t} stadsbibliotek", "{t} City Library"), ("{t} folkbibliotek", "{t} Public Library")],
        "archive": [("{t} stadsarkiv", "{t} City Archives"), ("{t} sjöfartsarkiv", "{t} Maritime Archive"),
                    ("Folkrörelsearkivet i {t}", "{t} Popular Movements Archive")],
        "gallery": [("Galleri {t}", "{t} Gallery"), ("{t} konsthall", "{t} Kunsthalle")],
        "university": [("{t} högskola", "{t} University College"), ("{t} universitet", "University of {t}")],
        "research": [("Institutet för ortnamn i {t}", "{t} Place-Name Institute")],
        "government": [("{t} kommun, kulturförvaltningen", "{t} Municipality Culture Department"),
                       ("Länsstyrelsen i {t}", "{t} County Administrative Board")],
        "media": [("{t}-Posten", "{t} Post"), ("Radio {t}", "Radio {t}")],
        "company": [("{t} Bildbyrå AB", "{t} Picture Agency")],
        "ngo": [("Hembygdsföreningen i {t}", "{t} Local Heritage Society")],
        "other": [("{t} domkyrkoförsamling", "{t} Cathedral Parish")],
    },
    "no": {
        "museum": [("{t} bymuseum", "{t} Town Museum"), ("{t} kystmuseum", "{t} Coastal Museum"),
                   ("{t} folkemuseum", "{t} Folk Museum")],
        "library": [("{t} folkebibliotek", "{t} Public Library")],
        "archive": [("{t} byarkiv", "{t} Town Archives"), ("Fotoarkivet i {t}", "{t} Photo Archive")],
        "gallery": [("{t} kunstforening", "{t} Art Society Gallery")],
        "university": [("Høgskolen i {t}", "{t} University College")],
        "research": [("{t} polarinstitutt", "{t} Polar Institute")],
        "government": [("{t} kommune", "{t} Municipality")],
        "media": [("{t} Tidende", "{t} Gazette")],
        "company": [("{t} Fotoskanning AS", "{t} Photo Scanning")],
        "ngo": [("{t} historielag", "{t} History Society")],
        "other": [("{t} fyrstasjon", "{t} Lighthouse Station")],
    },
    "fi": {
        "museum": [("{t}n kaupunginmuseo", "{t} City Museum"), ("{t}n taidemuseo", "{t} Art Museum")],
        "library": [("{t}n kirjasto", "{t} Library")],
        "archive": [("{t}n kaupunginarkisto", "{t} City Archives")],
        "gallery": [("Galleria {t}", "{t} Gallery")],
        "university": [("{t}n yliopisto", "University of {t}")],
        "research": [("{t}n kotiseutuinstituutti", "{t} Regional Studies Institute")],
        "government": [("{t}n kaupunki", "City of {t}")],
        "media": [("{t}n Sanomat", "{t} News")],
        "company": [("{t} Digitointi Oy", "{t} Digitisation Ltd")],
        "ngo": [("{t} Seura ry", "{t} Society")],
        "other": [("{t}n seurakunta", "{t} Parish")],
    },
    "da": {
        "museum": [("{t} Egnsmuseum", "{t} Local Museum"), ("{t} Kunstmuseum", "{t} Art Museum")],
        "library": [("{t} Bibliotek", "{t} Library")],
        "archive": [("{t} Lokalhistoriske Arkiv", "{t} Local History Archive")],
        "gallery": [("Galleri {t}", "{t} Gallery")],
        "university": [("{t} Professionshøjskole", "{t} University College")],
        "research": [("{t} Institut for Sprog og Kultur", "{t} Institute of Language and Culture")],
        "government": [("{t} Kommune", "{t} Municipality")],
        "media": [("{t} Avis", "{t} Newspaper")],
        "company": [("{t} Scanning ApS", "{t} Scanning")],
        "ngo": [("{t} Lokalhistoriske Forening", "{t} Local History Society")],
        "other": [("{t} Domkirke", "{t} Cathedral")],
    },
    "de": {
        "museum": [("Stadtmuseum {t}", "{t} City Museum"), ("Heimatmuseum {t}", "{t} Local History Museum"),
                   ("Museum für Volkskunde {t}", "{t} Museum of Folk Culture")],
        "library": [("Stadtbibliothek {t}", "{t} City Library"), ("Landesbibliothek {t}", "{t} State Library")],
        "archive": [("Stadtarchiv {t}", "{t} City Archives"), ("Bildarchiv {t}", "{t} Picture Archive")],
        "gallery": [("Kunsthalle {t}", "{t} Kunsthalle"), ("Galerie am Markt {t}", "{t} Market Gallery")],
        "university": [("Universität {t}", "University of {t}"), ("Hochschule {t}", "{t} University of Applied Sciences")],
        "research": [("Institut für Landesgeschichte {t}", "{t} Institute of Regional History")],
        "government": [("Kulturamt {t}", "{t} Culture Office")],
        "media": [("{t}er Rundschau", "{t} Review")],
        "company": [("Digitalisierungszentrum {t} GmbH", "{t} Digitisation Centre")],
        "ngo": [("Geschichtsverein {t} e.V.", "{t} History Association")],
        "other": [("Zoo {t}", "{t} Zoo")],
    },
    "fr": {
        "museum": [("Musée municipal de {t}", "{t} Municipal Museum"), ("Musée des Beaux-Arts de {t}", "{t} Fine Arts Museum"),
                   ("Écomusée de {t}", "{t} Ecomuseum")],
        "library": [("Médiathèque de {t}", "{t} Media Library"), ("Bibliothèque de {t}", "{t} Library")],
        "archive": [("Archives municipales de {t}", "{t} Municipal Archives"), ("Phototèque de {t}", "{t} Photo Library")],
        "gallery": [("Galerie du Quai, {t}", "{t} Quay Gallery")],
        "university": [("Université de {t}", "University of {t}")],
        "research": [("Centre d'études régionales de {t}", "{t} Centre for Regional Studies")],
        "government": [("Direction de la culture de {t}", "{t} Culture Directorate")],
        "media": [("L'Écho de {t}", "{t} Echo")],
        "company": [("Numérique {t} SARL", "{t} Digital")],
        "ngo": [("Association des Amis du patrimoine de {t}", "Friends of {t} Heritage")],
        "other": [("Jardin botanique de {t}", "{t} Botanical Garden")],
    },
    "nl": {
        "museum": [("Stedelijk Museum {t}", "{t} Municipal Museum"), ("Zuiderzeehuis {t}", "{t} Coastal Heritage House")],
        "library": [("Bibliotheek {t}", "{t} Library")],
        "archive": [("Regionaal Archief {t}", "{t} Regional Archives")],
        "gallery": [("Galerie De Kade {t}", "{t} Quay Gallery")],
        "university": [("Hogeschool {t}", "{t} University of Applied Sciences")],
        "research": [("Kenniscentrum Erfgoed {t}", "{t} Heritage Knowledge Centre")],
        "government": [("Gemeente {t}", "{t} Municipality")],
        "media": [("Omroep {t}", "{t} Broadcasting")],
        "company": [("Scanbedrijf {t} BV", "{t} Scanning Company")],
        "ngo": [("Historische Vereniging {t}", "{t} Historical Society")],
        "other": [("Molen De Hoop {t}", "{t} Windmill De Hoop")],
    },
    "it": {
        "museum": [("Museo Civico di {t}", "{t} Civic Museum"), ("Museo Archeologico di {t}", "{t} Archaeological Museum"),
                   ("Museo del Mare di {t}", "{t} Sea Museum")],
        "library": [("Biblioteca Comunale di {t}", "{t} Municipal Library")],
        "archive": [("Archivio Storico di {t}", "{t} Historical Archive")],
        "gallery": [("Pinacoteca di {t}", "{t} Picture Gallery")],
        "university": [("Università di {t}", "University of {t}")],
        "research": [("Istituto di Storia Locale di {t}", "{t} Institute of Local History")],
        "government": [("Comune di {t}, Assessorato alla Cultura", "{t} Culture Office")],
        "media": [("Il Corriere di {t}", "{t} Courier")],
        "company": [("{t} Digitale Srl", "{t} Digital")],
        "ngo": [("Pro Loco di {t}", "{t} Tourist Association")],
        "other": [("Orto Botanico di {t}", "{t} Botanical Garden")],
    },
    "es": {
        "museum": [("Museo Municipal de {t}", "{t} Municipal Museum"), ("Museo de Arte Popular de {t}", "{t} Folk Art Museum"),
                   ("Museo Arqueológico de {t}", "{t} Archaeological Museum")],
        "library": [("Biblioteca Pública de {t}", "{t} Public Library"), ("Biblioteca Popular de {t}", "{t} People's Library")],
        "archive": [("Archivo Histórico de {t}", "{t} Historical Archive"), ("Fototeca de {t}", "{t} Photo Archive")],
        "gallery": [("Galería de Arte de {t}", "{t} Art Gallery")],
        "university": [("Universidad de {t}", "University of {t}")],
        "research": [("Instituto de Estudios de {t}", "{t} Institute of Studies")],
        "government": [("Secretaría de Cultura de {t}", "{t} Culture Secretariat")],
        "media": [("Radio Comunitaria de {t}", "{t} Community Radio")],
        "company": [("Digitaliza {t} S.A.", "{t} Digitisation")],
        "ngo": [("Fundación Memoria de {t}", "{t} Memory Foundation")],
        "other": [("Jardín Botánico de {t}", "{t} Botanical Garden")],
    },
    "pt": {
        "museum": [("Museu Municipal de {t}", "{t} Municipal Museum"), ("Museu do Azulejo de {t}", "{t} Tile Museum"),
                   ("Museu da Imagem de {t}", "{t} Image Museum")],
        "library": [("Biblioteca Municipal de {t}", "{t} Municipal Library")],
        "archive": [("Arquivo Histórico de {t}", "{t} Historical Archive"), ("Arquivo Fotográfico de {t}", "{t} Photographic Archive")],
        "gallery": [("Galeria de Arte de {t}", "{t} Art Gallery")],
        "university": [("Universidade de {t}", "University of {t}")],
        "research": [("Instituto de Memória de {t}", "{t} Memory Institute")],
        "government": [("Secretaria de Cultura de {t}", "{t} Culture Secretariat")],
        "media": [("Rádio Comunitária de {t}", "{t} Community Radio")],
        "company": [("{t} Digitalização Lda", "{t} Digitisation")],
        "ngo": [("Associação de Amigos de {t}", "Friends of {t}")],
        "other": [("Jardim Botânico de {t}", "{t} Botanical Garden")],
    },
    "id": {
        "museum": [("Museum Daerah {t}", "{t} Regional Museum"), ("Museum Bahari {t}", "{t} Maritime Museum")],
        "library": [("Perpustakaan Umum {t}", "{t} Public Library")],
        "archive": [("Arsip Daerah {t}", "{t} Regional Archives")],
        "gallery": [("Galeri Seni {t}", "{t} Art Gallery")],
        "university": [("Universitas {t}", "University of {t}")],
        "research": [("Pusat Kajian Budaya {t}", "{t} Centre for Cultural Studies")],
        "government": [("Dinas Kebudayaan {t}", "{t} Culture Office")],
        "media": [("Radio Komunitas {t}", "{t} Community Radio")],
        "company": [("PT Digital {t}", "{t} Digital")],
        "ngo": [("Yayasan Warisan {t}", "{t} Heritage Foundation")],
        "other": [("Kebun Raya {t}", "{t} Botanical Garden")],
    },
    "vi": {
        "museum": [("Bảo tàng {t}", "{t} Museum"), ("Bảo tàng Dân tộc học {t}", "{t} Ethnology Museum")],
        "library": [("Thư viện {t}", "{t} Library")],
        "archive": [("Trung tâm Lưu trữ {t}", "{t} Archives Centre")],
        "gallery": [("Phòng tranh {t}", "{t} Gallery")],
        "university": [("Đại học {t}", "{t} University")],
        "research": [("Viện Nghiên cứu Văn hóa {t}", "{t} Institute of Cultural Research")],
        "government": [("Sở Văn hóa {t}", "{t} Department of Culture")],
        "media": [("Báo {t}", "{t} Newspaper")],
        "company": [("Công ty Số hóa {t}", "{t} Digitisation Company")],
        "ngo": [("Hội Di sản {t}", "{t} Heritage Society")],
        "other": [("Vườn Bách thảo {t}", "{t} Botanical Garden")],
    },
}


def templates(country, kind):
    lang = LANG.get(country, "en")
    if lang == "en":
        return [(p, None) for p in T["en"][kind]]
    return T[lang][kind]


# ---------------------------------------------------------------------------
# Affiliates (hand-written). needs/offers: questionnaire-style tags.
# years: interview years (empty: never interviewed).
# ---------------------------------------------------------------------------
# fmt: id, name, country, aliases, needs, offers, years, focus
AFFILIATES = [
    # Northern Europe
    ("wm-norrvala", "Wikimedia Norrvala", "SE", "WM Norrvala;Wikimedia Norrvala förening",
     "funding;legal", "mass-upload;metadata;wikidata;training", [2021, 2022, 2024],
     "runs batch uploads for county museums and a Wikidata import pipeline"),
    ("wm-fjellmark", "Wikimedia Fjellmark", "NO", "WM Fjellmark",
     "volunteers;outreach", "mass-upload;copyright;legal", [2021, 2023],
     "focuses on coastal heritage photo collections"),
    ("wm-karvala", "Wikimedia Karvala", "FI", "Wikimedia Karvala ry",
     "partner-contacts", "metadata;wikidata;training", [2022],
     "works mostly with city archives and place-name data"),
    ("wm-lyngsbaek", "Wikimedia Lyngsbæk", "DK", "WM Lyngsbaek",
     "scanning;hardware", "events;training", [2022, 2024],
     "organises edit-a-thons with libraries"),
    ("ug-ornvika", "Wikimedians of Ørnvika", "NO", "Ornvika User Group",
     "mass-upload;copyright", "events", [2022],
     "a small group photographing lighthouses and fishing villages"),
    ("ug-hrafnsey", "Wikimedians of Hrafnsey", "IS", "",
     "mass-upload;hardware;funding", "volunteers", [2023],
     "volunteers want to digitise saga-era manuscripts held by local churches"),
    ("ug-vahtsepa", "Wikimedians of Vahtsepa", "EE", "Vahtsepa Wikimedians",
     "training;metadata", "outreach", [2022],
     "mainly school outreach"),
    # Western Europe
    ("wm-brackenau", "Wikimedia Brackenau", "DE", "WMB;Wikimedia Brackenau e.V.",
     "partner-contacts", "mass-upload;legal;copyright;hardware", [2021, 2023],
     "lends scanning kits and has a legal team for licence questions"),
    ("wm-valmonde", "Wikimedia Valmonde", "FR", "WM Valmonde",
     "volunteers", "training;events;copyright", [2022],
     "runs GLAM training for museum staff"),
    ("ug-saint-orvel", "Wikimedians of Saint-Orvel", "BE", "Groupe d'utilisateurs de Saint-Orvel",
     "mass-upload;metadata", "outreach;partner-contacts", [2022, 2024],
     "has good contacts with francophone museums"),
    ("ug-zeewold", "Wikimedians of Zeewold aan de Vliet", "NL", "Zeewold Wikimedians",
     "funding", "wikidata;metadata", [2023],
     "a Wikidata-heavy group modelling archival holdings"),
    ("ug-hohenfurt", "Wikimedians of Hohenfurt", "AT", "",
     "copyright;training", "events", [],
     ""),
    ("lexicommons", "Lexicommons Language Alliance", "NL", "Lexicommons;LLA",
     "partner-contacts;funding", "wikidata;training;outreach", [2021, 2024],
     "a thematic organisation for lexicographic data and minority-language dictionaries"),
    # Southern Europe
    ("wm-valdoria", "Wikimedia Valdoria", "IT", "WM Valdoria",
     "hardware", "mass-upload;copyright;training", [2021, 2023],
     "works with civic museums and the regional archive network"),
    ("wm-lusveria", "Wikimedia Lusvéria", "PT", "Wikimedia Lusveria;WM Lusvéria",
     "funding;volunteers", "copyright;legal;partner-contacts", [2022],
     "collaborates closely with lusophone groups overseas"),
    ("ug-castellar", "Wikimedians of Castellar de la Sierra", "ES", "Wikimedistas de Castellar",
     "mass-upload;scanning", "events;outreach", [2022],
     "photo contests with rural libraries"),
    ("ug-zavrnik", "Wikimedians of Zavrnik", "HR", "",
     "copyright;training", "volunteers", [2023],
     "a young group starting with local museums"),
    ("ug-kamniska-vas", "Wikimedians of Kamniška Vas", "SI", "Wikimedians of Kamniska Vas",
     "mass-upload;metadata", "outreach", [2023],
     "digitises parish archives with volunteers"),
    # Northern Africa
    ("ug-oued-zelmane", "Wikimedians of Oued Zelmane", "TN", "ويكيميديون وادي زلمان",
     "copyright;training;partner-contacts", "outreach", [2023],
     "started with a library and a manuscript collection"),
    # Eastern Africa
    ("wm-mazarani", "Wikimedia Mazarani", "KE", "WM Mazarani",
     "hardware;funding", "training;mass-upload;events", [2021, 2023],
     "the largest affiliate in the region, runs upload training"),
    ("ug-nyakabira", "Wikimedians of Nyakabira", "UG", "Nyakabira Wikimedians",
     "mass-upload;scanning", "outreach;partner-contacts", [2022, 2024],
     "works with community radio archives; reaches out across Africa"),
    ("ug-mwambaru", "Wikimedians of Mwambaru", "TZ", "",
     "copyright;hardware", "volunteers;events", [2022],
     "Swahili-language content from coastal museums"),
    ("ug-bukoro", "Wikimedians of Bukoro", "RW", "",
     "training;mass-upload", "outreach", [2023],
     "oral history projects"),
    ("ug-adwera", "Wikimedians of Adwera", "ET", "Adwera Wikimedians",
     "scanning;hardware;funding", "metadata", [],
     ""),
    # Western Africa: reaches the rest of the movement only through ug-kessaro
    ("ug-kessaro", "Wikimedians of Kessaro", "GH", "Kessaro Wikimedians;Kessaro WUG",
     "funding;hardware", "training;events;mass-upload", [2022, 2024],
     "the most experienced group in the region, coordinates regional trainings"),
    ("ug-oyedun", "Wikimedians of Oyedun", "NG", "Oyedun Wikimedians",
     "mass-upload;copyright", "volunteers;outreach", [2022],
     "photographs markets and festivals with students"),
    ("ug-ndiabene", "Wikimedians of Ndiabène", "SN", "Wikimédiens de Ndiabène",
     "mass-upload;training", "outreach", [2023],
     "francophone group working with a radio station and a library"),
    ("ug-adjarra", "Wikimedians of Adjarra-Koué", "BJ", "",
     "copyright;scanning", "events", [2023],
     "small group, interested in royal palace archives"),
    # South America
    ("wm-pampa-alta", "Wikimedia Pampa Alta", "AR", "WM Pampa Alta",
     "hardware", "mass-upload;copyright;legal;training", [2021, 2023],
     "long-running GLAM programme with provincial museums"),
    ("ug-vila-catarinha", "Wikimedians of Vila Catarinha", "BR", "Wikimedianos de Vila Catarinha",
     "mass-upload;metadata;funding", "events;volunteers", [2022],
     "big volunteer base, small budget"),
    ("ug-tierra-cobre", "Wikimedians of Tierra Cobre", "CL", "",
     "copyright;scanning", "outreach", [2022],
     "mining-heritage photographs"),
    ("ug-rio-azulejo", "Wikimedians of Río Azulejo", "CO", "Wikimedistas de Rio Azulejo",
     "training;wikidata", "events", [2023],
     "indigenous-language content"),
    ("ug-san-amaru", "Wikimedians of San Amaru", "PE", "",
     "mass-upload;hardware", "partner-contacts", [],
     ""),
    # South-eastern Asia
    ("wm-nusakara", "Wikimedia Nusakara", "ID", "WM Nusakara",
     "legal", "mass-upload;metadata;training;scanning", [2021, 2023],
     "operates a mobile scanning unit"),
    ("ug-pulau-seranti", "Wikimedians of Pulau Seranti", "MY", "Seranti Wikimedians",
     "copyright;mass-upload", "events", [2022],
     "works with a maritime museum"),
    ("ug-lakandula", "Wikimedians of Lakandula Bay", "PH", "Lakandula Bay Wikimedians",
     "funding;training", "outreach;volunteers", [2022],
     "community libraries and schools"),
    ("ug-song-hoa", "Wikimedians of Sông Hoa", "VN", "Wikimedians of Song Hoa",
     "copyright;partner-contacts", "wikidata", [2023],
     "Wikidata for museum collections"),
    ("ug-khlong-rua", "Wikimedians of Ban Khlong Rua", "TH", "",
     "mass-upload;scanning", "events", [2024],
     "temple murals and palm-leaf manuscripts"),
    # Southern Asia
    ("ug-madhuvan", "Wikimedians of Madhuvan Hills", "IN", "Madhuvan Hills Wikimedians",
     "partner-contacts", "mass-upload;training;wikidata", [2021, 2023],
     "experienced in bulk uploads of public-domain books"),
    ("ug-padmapara", "Wikimedians of Padmapara", "BD", "",
     "mass-upload;copyright", "volunteers", [2022],
     "river-delta photography"),
    ("ug-kirtipura", "Wikimedians of Kirtipura", "NP", "किर्तिपुर विकिमिडियन",
     "scanning;hardware", "events", [2022],
     "manuscript digitisation with monasteries"),
    ("ug-kelani", "Wikimedians of Kelani Vale", "LK", "",
     "training;metadata", "outreach", [2024],
     "tea-estate archives"),
]

REGION_OF = {
    "SE": "NEU", "NO": "NEU", "FI": "NEU", "DK": "NEU", "IS": "NEU", "EE": "NEU",
    "DE": "WEU", "AT": "WEU", "CH": "WEU", "FR": "WEU", "BE": "WEU", "NL": "WEU",
    "IT": "SEU", "ES": "SEU", "PT": "SEU", "SI": "SEU", "HR": "SEU",
    "TN": "NAF",
    "KE": "EAF", "UG": "EAF", "TZ": "EAF", "RW": "EAF", "ET": "EAF",
    "GH": "WAF", "NG": "WAF", "SN": "WAF", "BJ": "WAF",
    "BR": "SAM", "AR": "SAM", "CL": "SAM", "CO": "SAM", "PE": "SAM",
    "ID": "SEA", "MY": "SEA", "PH": "SEA", "VN": "SEA", "TH": "SEA",
    "IN": "SAS", "BD": "SAS", "NP": "SAS", "LK": "SAS",
}

# institutions per country
INST_COUNT = {
    "SE": 16, "NO": 9, "FI": 7, "DK": 7, "IS": 2, "EE": 3,
    "DE": 11, "AT": 5, "CH": 4, "FR": 10, "BE": 6, "NL": 7,
    "IT": 10, "ES": 8, "PT": 7, "SI": 4, "HR": 4,
    "TN": 4,
    "KE": 9, "UG": 7, "TZ": 5, "RW": 4, "ET": 3,
    "GH": 7, "NG": 7, "SN": 5, "BJ": 3,
    "BR": 10, "AR": 7, "CL": 5, "CO": 5, "PE": 4,
    "ID": 8, "MY": 5, "PH": 5, "VN": 5, "TH": 4,
    "IN": 8, "BD": 5, "NP": 5, "LK": 4,
}
KINDS = ["museum"] * 24 + ["library"] * 17 + ["archive"] * 15 + ["gallery"] * 6 + \
        ["university"] * 12 + ["research"] * 6 + ["government"] * 6 + ["media"] * 5 + \
        ["company"] * 4 + ["ngo"] * 4 + ["other"] * 2
DIGI = ["none"] * 3 + ["planned"] * 3 + ["started"] * 4 + ["advanced"] * 3 + [""] * 2

orgs = []          # dicts with id,name,kind,country,region,wikidata,aliases,digitisation
by_id = {}
norm_taken = {}    # normalised name/alias/id -> org id


def add_org(oid, name, kind, country, region="", wikidata="", aliases="", digitisation=""):
    assert oid not in by_id, oid
    o = dict(id=oid, name=name, kind=kind, country=country, region=region,
             wikidata=wikidata, aliases=aliases, digitisation=digitisation)
    keys = [oid, name] + [a for a in aliases.split(";") if a]
    for k in keys:
        nk = norm(k)
        assert nk not in norm_taken or norm_taken[nk] == oid, (k, norm_taken.get(nk))
    for k in keys:
        norm_taken[norm(k)] = oid
    orgs.append(o)
    by_id[oid] = o
    return o


# fictional QIDs in a high range, never meant to refer to a real item
_qid_counter = [999999000]


def fake_qid():
    _qid_counter[0] += rng.randint(3, 40)
    return "Q%d" % _qid_counter[0]


# the hub
add_org("cphub", "Content Partnerships Hub", "hub", "SE", wikidata=fake_qid(),
        aliases="CP Hub;The Hub;Hubben för innehållspartnerskap")
AFF = {}
for (aid, name, country, aliases, needs, offers, years, focus) in AFFILIATES:
    add_org(aid, name, "affiliate", country, wikidata=fake_qid() if aid.startswith("wm-") and rng.random() < 0.5 else "",
            aliases=aliases)
    AFF[aid] = dict(id=aid, country=country, region=REGION_OF[country], needs=needs.split(";"),
                    offers=offers.split(";"), years=years, focus=focus, chapter=aid.startswith("wm-"))

# --- hand-picked special institutions -------------------------------------
SPECIAL = [
    # the typo target: a relation names it "Holmvika stadsmuseet"
    ("holmvika-stadsmuseum", "Holmvika stadsmuseum", "museum", "SE", "", "Holmvika City Museum", "advanced"),
    # triple referral by wm-norrvala (2021, 2022, 2024 interviews)
    ("gravlinge-sjofartsarkiv", "Grävlinge sjöfartsarkiv", "archive", "SE", "", "Grävlinge Maritime Archive", "none"),
    # cross-cluster institution: partner of ug-saint-orvel (Western Europe) and wm-mazarani (Eastern Africa)
    ("tervalen-museum", "Tervalen Museum voor Wereldculturen", "museum", "BE", "",
     "Tervalen Museum of World Cultures;Musée des Cultures du Monde de Tervalen;TMWC", "advanced"),
    # accented name referenced without accents and in lower case
    ("musee-ebene", "Musée d'Ébène de Saint-Orvel", "museum", "BE", "", "Musée d'Ébène;Ebony Museum of Saint-Orvel", "started"),
    # name with a comma and double quotes
    ("casa-azul", 'Fundação "Casa Azul", Memória Costeira', "ngo", "PT", "", "Casa Azul Foundation;Fundacao Casa Azul", "started"),
    # second cross-cluster institution: partner of wm-lusveria (Southern Europe) and ug-vila-catarinha (South America)
    ("univ-lusveria", "Universidade de Lusvéria", "university", "PT", "", "University of Lusvéria;ULus", "advanced"),
    # right-to-left alias (Arabic)
    ("qasr-nadir-library", "Bibliothèque de Qasr Nadir", "library", "TN", "", "مكتبة قصر نادر;Qasr Nadir Library", "planned"),
    ("song-hoa-museum", "Bảo tàng Sông Hoa", "museum", "VN", "", "Song Hoa Museum;พิพิธภัณฑ์ซองฮวา", "started"),
    # custom-region rows (no country)
    ("nordic-baltic-archive-forum", "Nordic–Baltic Archive Forum", "ngo", "", "Northern Europe",
     "NBAF;Nordisk-baltiskt arkivforum", ""),
    ("andean-community-libraries", "Andean Network of Community Libraries", "ngo", "", "South America",
     "Red Andina de Bibliotecas Comunitarias;RABC", ""),
    # isolated organisations (no relations at all)
    ("trollnes-lighthouse", "Trollnes fyrstasjon", "other", "NO", "", "Trollnes Lighthouse Station", "none"),
    ("kuala-merbau-printing", "Kuala Merbau Printing Works", "company", "MY", "", "", ""),
    ("huaylloc-parish-archive", "Archivo Parroquial de Huaylloc", "archive", "PE", "", "Huaylloc Parish Archive", "none"),
    # tiny separate component: these two are tied only to each other
    ("vindafjordur-heritage", "Vindafjörður Heritage Centre", "museum", "IS", "", "Minjasetur Vindafjarðar", "planned"),
    ("vindafjordur-photo", "Vindafjörður Photo Archive", "archive", "IS", "", "Ljósmyndasafn Vindafjarðar", "started"),
]
for (oid, name, kind, country, region, aliases, digi) in SPECIAL:
    add_org(oid, name, kind, country, region=region, aliases=aliases, digitisation=digi,
            wikidata=fake_qid() if oid in ("tervalen-museum", "univ-lusveria", "holmvika-stadsmuseum") else "")
SPECIAL_IDS = {s[0] for s in SPECIAL}

# --- generated institutions -------------------------------------------------
INST = {}  # region -> list of ids (generated + special with a region)
for country in sorted(INST_COUNT, key=lambda c: list(INST_COUNT).index(c)):
    made = 0
    tries = 0
    while made < INST_COUNT[country]:
        tries += 1
        assert tries < 500, country
        kind = rng.choice(KINDS)
        local, eng = rng.choice(templates(country, kind))
        town = rng.choice(TOWNS[country])
        name = local.format(t=town)
        aliases = []
        if eng:
            e = eng.format(t=ascii_fold(town) if rng.random() < 0.3 else town)
            if norm(e) != norm(name):
                aliases.append(e)
        oid = slug(name)
        keys = [oid, name] + aliases
        if oid in by_id or any(norm(k) in norm_taken for k in keys):
            continue
        if country in ("KE", "UG", "TZ", "GH", "NG") and kind in ("library", "museum") and rng.random() < 0.3:
            aliases.append(name.replace(" Museum", " Mus.").replace(" Library", " Lib."))
            if norm(aliases[-1]) == norm(name) or norm(aliases[-1]) in norm_taken:
                aliases.pop()
        add_org(oid, name, kind, country, aliases=";".join(aliases),
                digitisation=rng.choice(DIGI),
                wikidata=fake_qid() if rng.random() < 0.06 else "")
        made += 1

for o in orgs:
    if o["kind"] in ("affiliate", "hub"):
        continue
    reg = REGION_OF.get(o["country"]) if o["country"] else {"Northern Europe": "NEU", "South America": "SAM"}[o["region"]]
    INST.setdefault(reg, []).append(o["id"])

# ---------------------------------------------------------------------------
# Interviews
# ---------------------------------------------------------------------------
interviews = []
IV_OF = {}  # affiliate -> list of (id, date)
seq = {}


def rdate(year, m0=1, m1=12):
    m = rng.randint(m0, m1)
    d = rng.randint(1, 28)
    return "%04d-%02d-%02d" % (year, m, d)


NOTE_NEEDS = {
    "mass-upload": "Partners have thousands of images ready but nobody knows how to batch upload them",
    "copyright": "Unclear copyright rules in the country block several partners",
    "hardware": "There is no book scanner available in the region",
    "training": "Volunteers need training before approaching museums",
    "partner-contacts": "They lack introductions to new institutions",
    "funding": "Projects stall for lack of funding for staff time",
    "metadata": "Partner metadata is messy spreadsheets that need cleaning",
    "wikidata": "They want help modelling collections on Wikidata",
    "events": "They would like help running edit-a-thons",
    "volunteers": "Too few volunteers to keep partnerships going",
    "legal": "Partners ask for contract templates the group does not have",
    "outreach": "They find it hard to reach institutions outside the capital",
    "scanning": "Archives want scanning done on site",
}
NOTE_OFFERS = {
    "mass-upload": "can share their upload tooling and run uploads for others",
    "copyright": "offer to answer copyright questions from neighbouring groups",
    "hardware": "can lend scanning equipment",
    "training": "offer GLAM trainings, also online",
    "partner-contacts": "are happy to introduce others to their partners",
    "funding": "can advise on grant applications",
    "metadata": "can clean and map metadata",
    "wikidata": "offer Wikidata modelling help",
    "events": "can co-organise events",
    "volunteers": "have volunteers who can help elsewhere",
    "legal": "can share their partnership agreement templates",
    "outreach": "offer to do outreach in local languages",
    "scanning": "can scan on site with their mobile unit",
}

for a in AFFILIATES:
    aid, years = a[0], a[6]
    info = AFF[aid]
    IV_OF[aid] = []
    for i, y in enumerate(years):
        seq[y] = seq.get(y, 0) + 1
        iid = "iv-%d-%02d" % (y, seq[y])
        # 2021 interviews in spring, 2022 ones after the questionnaire update
        date = rdate(y, 3, 11)
        needs = list(info["needs"])
        offers = list(info["offers"])
        if i > 0:  # later interview: one need solved, maybe a new one
            if len(needs) > 1:
                needs = needs[1:]
            extra = rng.choice(["volunteers", "funding", "wikidata", "events", "copyright", "scanning"])
            if extra not in needs and extra not in offers:
                needs.append(extra)
        n1 = NOTE_NEEDS[needs[0]]
        o1 = NOTE_OFFERS[offers[0]]
        focus = info["focus"] or "a small group"
        if i == 0:
            notes = "%s. %s; they %s." % (focus[0].upper() + focus[1:], n1, o1)
        else:
            notes = "Follow-up interview: progress since %d. %s; they %s." % (years[i - 1], n1, o1)
        interviews.append(dict(id=iid, date=date, affiliate=aid, needs=";".join(needs),
                               offers=";".join(offers), notes=notes))
        IV_OF[aid].append((iid, date))

interviews.sort(key=lambda r: r["id"])

# ---------------------------------------------------------------------------
# Relations
# ---------------------------------------------------------------------------
relations = []

PARTNER_NOTES = ["Commons upload of photo collection", "Wikidata import of collection metadata",
                 "edit-a-thon series", "GLAM residency", "batch upload of digitised postcards",
                 "joint photo contest", "scanned rare books uploaded", "Wikidata items for staff and artworks",
                 "training for staff", "public-domain maps uploaded", "oral history recordings released",
                 "", "", ""]
PAST_NOTES = ["project ended; contact person retired", "lapsed after funding ran out",
              "one-off upload in 2019", "partnership paused after management change", ""]
DESIRED_NOTES = ["wants to digitise their map collection", "large photo archive not yet online",
                 "would be a good first partner in the area", "has a new digitisation plan", ""]
REF_NOTES = ["suggested as interested in sharing images", "director open to free licences",
             "mentioned under 'someone in your network'", "has volunteers and a scanner", ""]
CONTACT_NOTES = ["met at a conference", "first meeting held", "email contact only", ""]
COLLAB_NOTES = ["joint photo contest", "shared upload tooling", "co-organised regional training",
                "exchange of volunteers", "joint grant application", ""]


def iv_for(aid, year_hint=None):
    ivs = IV_OF.get(aid) or []
    if not ivs:
        return "", None
    if year_hint is not None:
        for iid, d in ivs:
            if d.startswith(str(year_hint)):
                return iid, d
    iid, d = rng.choice(ivs)
    return iid, d


def rel(source, target, kind, aid_for_iv=None, weight="", note="", date=None, interview=None, old_ok=True):
    if interview is None:
        interview, d = ("", None)
        if aid_for_iv and (not old_ok or rng.random() < 0.88):
            interview, d = iv_for(aid_for_iv)
        if date is None:
            date = d
    if date is None:
        date = rdate(rng.choice([2019, 2020]))
    relations.append(dict(source=source, target=target, kind=kind, date=date,
                          interview=interview, weight=weight, note=note))


AFF_BY_REGION = {}
for aid, info in AFF.items():
    AFF_BY_REGION.setdefault(info["region"], []).append(aid)


def pick_affiliates(region, k, country=None):
    pool = AFF_BY_REGION[region]
    weights = []
    for a in pool:
        w = 3.0 if AFF[a]["chapter"] else 1.5
        if country and AFF[a]["country"] == country:
            w *= 3
        weights.append(w)
    chosen = []
    while len(chosen) < min(k, len(pool)):
        a = rng.choices(pool, weights)[0]
        if a not in chosen:
            chosen.append(a)
    return chosen


ISOLATED = ["trollnes-lighthouse", "kuala-merbau-printing", "huaylloc-parish-archive"]
TINY = ["vindafjordur-heritage", "vindafjordur-photo"]
ROLE = {}  # inst id -> active / lapsed / lead

# hand-picked roles
for i in ["holmvika-stadsmuseum", "tervalen-museum", "musee-ebene", "casa-azul", "univ-lusveria",
          "qasr-nadir-library", "song-hoa-museum", "nordic-baltic-archive-forum", "andean-community-libraries"]:
    ROLE[i] = "active"
ROLE["gravlinge-sjofartsarkiv"] = "lead"

for region, ids in sorted(INST.items()):
    gen = [i for i in ids if i not in SPECIAL_IDS]
    rng.shuffle(gen)
    n = len(gen)
    n_lead = max(2, round(n * 0.2))
    n_lapsed = max(1, round(n * 0.11))
    for i in gen[:n_lead]:
        ROLE[i] = "lead"
    for i in gen[n_lead:n_lead + n_lapsed]:
        ROLE[i] = "lapsed"
    for i in gen[n_lead + n_lapsed:]:
        ROLE[i] = "active"

PARTNERS_OF = {}
# --- active partnerships ----------------------------------------------------
for region in sorted(INST):
    for i in INST[region]:
        if ROLE.get(i) != "active":
            continue
        o = by_id[i]
        if i == "tervalen-museum":
            chosen = ["ug-saint-orvel", "wm-mazarani"]
        elif i == "univ-lusveria":
            chosen = ["wm-lusveria", "ug-vila-catarinha"]
        elif i == "musee-ebene":
            chosen = ["ug-saint-orvel"]
        elif i == "qasr-nadir-library":
            chosen = ["ug-oued-zelmane"]
        elif i == "song-hoa-museum":
            chosen = ["ug-song-hoa"]
        else:
            k = 2 if rng.random() < 0.3 else 1
            chosen = pick_affiliates(region, k, o["country"])
        PARTNERS_OF[i] = chosen
        for a in chosen:
            w = rng.choice(["2", "3"]) if rng.random() < 0.12 else ""
            rel(a, i, "partner", a, weight=w, note=rng.choice(PARTNER_NOTES))
        # some also had an earlier, lapsed partnership with another affiliate
        if rng.random() < 0.1:
            others = [a for a in AFF_BY_REGION[region] if a not in chosen]
            if others:
                a = rng.choice(others)
                rel(a, i, "past_partner", a, note=rng.choice(PAST_NOTES))

# --- lapsed partners (only past_partner) ------------------------------------
for region in sorted(INST):
    for i in INST[region]:
        if ROLE.get(i) != "lapsed":
            continue
        k = 2 if rng.random() < 0.2 else 1
        for a in pick_affiliates(region, k, by_id[i]["country"]):
            rel(a, i, "past_partner", a, note=rng.choice(PAST_NOTES))

# --- leads: desired / referral / contact --------------------------------------
MULTI_REF = {}
for region in sorted(INST):
    leads = [i for i in INST[region] if ROLE.get(i) == "lead" and i != "gravlinge-sjofartsarkiv"]
    actives = [i for i in INST[region] if ROLE.get(i) == "active"]
    for n, i in enumerate(leads):
        mode = n % 5
        if mode == 0:
            # referred by several different affiliates
            refs = pick_affiliates(region, 3 if len(AFF_BY_REGION[region]) >= 3 else 2)
            if len(refs) > 1:
                MULTI_REF[i] = refs
            for a in refs:
                rel(a, i, "referral", a, note=rng.choice(REF_NOTES), old_ok=False)
        elif mode == 1:
            a = pick_affiliates(region, 1)[0]
            rel(a, i, "desired", a, note=rng.choice(DESIRED_NOTES), old_ok=False)
        elif mode == 2 and actives:
            src = rng.choice(actives)
            a = PARTNERS_OF[src][0]
            rel(src, i, "referral", a, note="partner institution suggested them", old_ok=False)
        elif mode == 3:
            a = pick_affiliates(region, 1)[0]
            rel(a, i, "contact", a, note=rng.choice(CONTACT_NOTES), old_ok=False)
            if rng.random() < 0.5:
                rel(a, i, "desired", a, note=rng.choice(DESIRED_NOTES), old_ok=False)
        else:
            a, b = pick_affiliates(region, 2) if len(AFF_BY_REGION[region]) > 1 else (AFF_BY_REGION[region][0],) * 2
            rel(a, i, "desired", a, note=rng.choice(DESIRED_NOTES), old_ok=False)
            if b != a:
                rel(b, i, "referral", b, note=rng.choice(REF_NOTES), old_ok=False)

# triple referral of the same lead by the same affiliate, one per interview
for iid, d in IV_OF["wm-norrvala"]:
    rel("wm-norrvala", "gravlinge-sjofartsarkiv", "referral", interview=iid, date=d,
        note="mentioned again as interested in sharing ship photographs")

# the hub's own contacts with a few institutions (outside Western Africa)
hub_contacts = []
for region in ["NEU", "WEU", "SEU", "EAF", "SAM", "SEA"]:
    cands = [i for i in INST[region] if ROLE.get(i) == "active" and by_id[i]["kind"] in ("government", "research", "university")]
    if cands:
        c = rng.choice(cands)
        hub_contacts.append(c)
        rel("cphub", c, "contact", note="national-level contact held by hub staff", date=rdate(rng.choice([2022, 2023, 2024])))

# --- affiliate collaborations -------------------------------------------------
collab_pairs = set()


def collab(a, b, note=None, iv_from=None, date=None):
    key = tuple(sorted((a, b)))
    if key in collab_pairs or a == b:
        return
    collab_pairs.add(key)
    rel(a, b, "collaborates", iv_from or a, note=rng.choice(COLLAB_NOTES) if note is None else note,
        weight="2" if rng.random() < 0.1 else "", date=date, old_ok=False)


for region, affs in sorted(AFF_BY_REGION.items()):
    # chain inside the region plus a few extra ties
    for x, y in zip(affs, affs[1:]):
        collab(x, y)
    for _ in range(len(affs) // 2):
        x, y = rng.sample(affs, 2) if len(affs) > 1 else (affs[0], affs[0])
        collab(x, y)

CROSS = [
    ("wm-norrvala", "wm-brackenau"), ("wm-fjellmark", "wm-valmonde"), ("wm-valmonde", "wm-valdoria"),
    ("wm-lusveria", "ug-vila-catarinha"), ("wm-lusveria", "wm-pampa-alta"), ("ug-castellar", "ug-rio-azulejo"),
    ("wm-mazarani", "wm-norrvala"), ("ug-madhuvan", "wm-nusakara"), ("ug-padmapara", "ug-song-hoa"),
    ("ug-oued-zelmane", "wm-valmonde"), ("lexicommons", "ug-rio-azulejo"), ("lexicommons", "ug-kirtipura"),
    ("lexicommons", "wm-karvala"), ("lexicommons", "ug-mwambaru"), ("wm-nusakara", "ug-pulau-seranti"),
]
for a, b in CROSS:
    collab(a, b)
# THE bridge: Western Africa's only tie to the rest of the movement
collab("ug-kessaro", "ug-nyakabira", note="pan-African upload training run jointly",
       iv_from="ug-kessaro")

# --- membership of the hub (no Western African affiliate is a member) -------
members = [a for a in AFF if AFF[a]["region"] != "WAF" and (AFF[a]["chapter"] or a in ("lexicommons", "ug-oued-zelmane", "ug-kelani")
                                                         or rng.random() < 0.45)]
for a in members:
    rel(a, "cphub", "member", note="hub member", date=rdate(rng.choice([2021, 2022])), interview="")

# --- tiny separate component --------------------------------------------------
rel("vindafjordur-heritage", "vindafjordur-photo", "partner", note="joint exhibition; no affiliate involved yet",
    date="2023-05-17", interview="")

# ---------------------------------------------------------------------------
# Names written through aliases / other case / missing accents (hand-picked)
# ---------------------------------------------------------------------------
ALIAS_WRITES = []


for r in relations:
    r["_orig_source"] = r["source"]
    r["_orig_target"] = r["target"]

def first(pred):
    for r in relations:
        if pred(r):
            return r
    raise AssertionError("no relation matches")


def write_as(r, end, text):
    ALIAS_WRITES.append((r["_orig_" + end], text, r["kind"]))
    r[end] = text


# 1-2 aliases with stripped accents / lower case
write_as(first(lambda r: r["target"] == "musee-ebene"), "target", "musee d'ebene")
write_as(first(lambda r: r["target"] == "tervalen-museum" and r["source"] == "wm-mazarani"), "target",
         "Tervalen Museum of World Cultures")
write_as(first(lambda r: r["target"] == "tervalen-museum" and r["source"] == "ug-saint-orvel"), "source",
         "groupe d'utilisateurs de saint-orvel")
write_as(first(lambda r: r["target"] == "casa-azul"), "target", "Casa Azul Foundation")
write_as(first(lambda r: r["target"] == "qasr-nadir-library"), "target", "مكتبة قصر نادر")
write_as(first(lambda r: r["target"] == "song-hoa-museum"), "target", "bao tang song hoa")
write_as(first(lambda r: r["target"] == "univ-lusveria" and r["source"] == "ug-vila-catarinha"), "target",
         "universidade de lusveria")
write_as(first(lambda r: r["source"] == "wm-lusveria" and r["kind"] == "partner" and r["target"] != "univ-lusveria"),
         "source", "WIKIMEDIA LUSVERIA")
write_as(first(lambda r: r["source"] == "ug-kamniska-vas" and r["kind"] in ("partner", "past_partner")), "source",
         "Wikimedians  of   Kamniska Vas")
write_as(first(lambda r: r["source"] == "wm-brackenau" and r["kind"] == "partner"), "source", "WMB")
write_as(first(lambda r: r["kind"] == "member" and r["source"] == "wm-fjellmark"), "target", "the hub")
write_as(first(lambda r: r["target"] == "gravlinge-sjofartsarkiv"), "target", "Gravlinge Maritime Archive")
write_as(first(lambda r: r["kind"] == "collaborates" and r["source"] == "ug-kessaro"), "source", "Kessaro Wikimedians")
write_as(first(lambda r: r["target"] == "nordic-baltic-archive-forum"), "target", "nbaf")
# generated institutions referenced by their full name in other case / without accents
acc = [r for r in relations if r["kind"] == "partner" and r["target"] in by_id
       and by_id[r["target"]]["kind"] not in ("affiliate", "hub")
       and ascii_fold(by_id[r["target"]]["name"]) != by_id[r["target"]]["name"]
       and r["target"] not in SPECIAL_IDS]
seen_c = set()
for r in acc:
    c = by_id[r["target"]]["country"]
    if c in seen_c:
        continue
    seen_c.add(c)
    write_as(r, "target", ascii_fold(by_id[r["target"]]["name"]).lower())
    if len(seen_c) == 4:
        break
# other relations: write the target by its full name (not id), as people would
for r in relations:
    for end in ("source", "target"):
        if r[end] in by_id and r[end] == r["_orig_" + end] and rng.random() < 0.35:
            r[end] = by_id[r[end]]["name"]

# the deliberate typo: an unresolvable name with an obvious "did you mean"
iid, d = IV_OF["wm-norrvala"][1]
TYPO_REL = dict(source="wm-norrvala", target="Holmvika stadsmuseet", kind="partner", date=d, interview=iid,
                weight="", note="extended photo upload agreement", _orig_source="wm-norrvala",
                _orig_target="(typo of holmvika-stadsmuseum)")
relations.append(TYPO_REL)

relations.sort(key=lambda r: (r["date"], r["_orig_source"], r["_orig_target"], r["kind"]))

# ---------------------------------------------------------------------------
# Lead status (the hub staff's own tracking)
# ---------------------------------------------------------------------------
lead_ids = sorted(i for i, r in ROLE.items() if r == "lead")
multi = sorted(MULTI_REF)
rng2 = random.Random(7)
LS = [
    ("gravlinge-sjofartsarkiv", "in_talks", "Astrid", "2024-10-02", "three mentions by Norrvala; meeting booked"),
    (multi[0], "contacted", "Jonas", "2024-03-14", "referred by several affiliates"),
    (multi[1], "new", "Maja", "2024-05-20", ""),
    (multi[2], "in_talks", "Elin", "2024-08-30", "asked for a sample agreement"),
    (multi[3], "declined", "Jonas", "2023-11-09", "board decided against open licences for now"),
    (multi[4], "do_not_contact", "Astrid", "2024-01-22", "asked not to be contacted again; respect until 2026"),
]
others = [i for i in lead_ids if i not in [x[0] for x in LS]]
rng2.shuffle(others)
for i, (st, owner, upd, note) in zip(others, [
        ("new", "Tobias", "2024-09-11", ""),
        ("contacted", "Maja", "2024-06-03", "sent intro email"),
        ("partner", "Elin", "2024-11-15", "agreement signed, first upload planned"),
        ("new", "Astrid", "2024-10-28", "from the 2024 interviews"),
        ("contacted", "Tobias", "2024-04-19", "call scheduled")]):
    LS.append((i, st, owner, upd, note))

# ---------------------------------------------------------------------------
# The earlier snapshot (--earlier): the movement at the end of 2023
# ---------------------------------------------------------------------------
EARLIER = "--earlier" in sys.argv[1:]
if EARLIER:
    CUTOFF = "2024-01-01"
    rename = {"tervalen-museum": dict(id="tervalen-etnografisch-museum",
                                      name="Tervalen Etnografisch Museum",
                                      aliases="Tervalen Ethnographic Museum")}
    renamed_keys = {}
    for oid, new in rename.items():
        o = by_id[oid]
        for k in [o["id"], o["name"]] + [a for a in o["aliases"].split(";") if a]:
            renamed_keys[norm(k)] = new["name"]

    def earlier_relation(r):
        r = dict(r)
        if r["date"] and r["date"] >= CUTOFF:
            if r["kind"] != "past_partner":
                return None
            # It ended in 2024: at the end of 2023 it was active.
            r["kind"], r["date"], r["interview"] = "partner", "2022" + r["date"][4:], ""
            r["note"] = ""
        for end in ("source", "target"):
            if norm(r[end]) in renamed_keys:
                r[end] = renamed_keys[norm(r[end])]
        return r

    def named_by(text, keys={}):
        if not keys:
            for o in orgs:
                for k in [o["id"], o["name"]] + [a for a in o["aliases"].split(";") if a]:
                    keys.setdefault(norm(k), o["id"])
                    if o["id"] in rename:
                        keys.setdefault(norm(rename[o["id"]]["name"]), o["id"])
        return keys.get(norm(text))

    def named_in(rels, ivs, statuses):
        ids = {named_by(r[end]) for r in rels for end in ("source", "target")}
        ids |= {named_by(i["affiliate"]) for i in ivs}
        return ids | {named_by(x[0]) for x in statuses}

    named_ever = named_in(relations, interviews, LS)
    relations = [e for e in map(earlier_relation, relations) if e is not None]
    interviews = [i for i in interviews if not i["date"] or i["date"] < CUTOFF]
    LS = [(a, b, c, d, e) if d < CUTOFF else (a, "contacted", c, "2023-12-01", "")
          for a, b, c, d, e in LS]
    named_then = named_in(relations, interviews, [])
    # Organisations first named in 2024 were not in the data yet.
    first_named_later = named_ever - named_then
    LS = [x for x in LS if named_by(x[0]) not in first_named_later]
    earlier_orgs = []
    for o in orgs:
        if o["id"] in first_named_later:
            continue
        o = dict(o)
        if o["id"] in rename:
            o.update(rename[o["id"]])
        earlier_orgs.append(o)
    orgs = earlier_orgs
    OUT = os.path.join(HERE, "sample-2023")

# ---------------------------------------------------------------------------
# Write
# ---------------------------------------------------------------------------
os.makedirs(OUT, exist_ok=True)


def write(name, fields, rows):
    with open(os.path.join(OUT, name), "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow(r)


write("organisations.csv", ["id", "name", "kind", "country", "region", "wikidata", "aliases", "digitisation"], orgs)
write("relations.csv", ["source", "target", "kind", "date", "interview", "weight", "note"], relations)
write("interviews.csv", ["id", "date", "affiliate", "needs", "offers", "notes"], interviews)
write("lead-status.csv", ["id", "status", "owner", "updated", "note"],
      [dict(id=a, status=b, owner=c, updated=d, note=e) for a, b, c, d, e in LS])
if EARLIER:
    for name in ("partnernet.toml", "notes"):
        src, dst = os.path.join(HERE, "sample", name), os.path.join(OUT, name)
        if os.path.isdir(src):
            shutil.rmtree(dst, ignore_errors=True)
            shutil.copytree(src, dst)
        else:
            shutil.copyfile(src, dst)

if __name__ == "__main__":
    print("organisations: %d (affiliates %d, hub 1, institutions %d)" % (
        len(orgs), len(AFF), len(orgs) - len(AFF) - 1))
    print("relations: %d, interviews: %d, lead-status: %d" % (len(relations), len(interviews), len(LS)))
    print("multi-referred leads:", {k: v for k, v in sorted(MULTI_REF.items())})
    print("hub contacts:", hub_contacts)
    print("alias/case/accent writes:")
    for w in ALIAS_WRITES:
        print("   ", w)
    print("lead-status:", LS)
