"""A small English–Indonesian glossary of local-government and policy words, both directions.

The corpus mixes English papers and Indonesian regulations, and people ask in either language. Dense
vectors bridge the languages only roughly, and BM25 not at all, so retrieval adds a query word's
translations as alternatives of that word, and the extractive engine accepts a translated word as a match.
Entries are general policy vocabulary, not phrases of any one document. An Indonesian side may be a
phrase ("tanggung jawab"); retrieval matches its words and their joined form ("tanggungjawab").
"""

from __future__ import annotations

from functools import lru_cache

# "english=indonesian" entries; either side may list several words separated by commas.
_ENTRIES = (
    # Instruments and office holders.
    "regulation,regulations,regulate,regulates,regulated=peraturan,mengatur,diatur",
    "law,laws=undang,hukum", "decree,decision=keputusan", "decide,decides=menetapkan,memutuskan",
    "mayor=walikota,wali", "regent=bupati", "governor=gubernur", "president=presiden", "minister=menteri",
    "secretary=sekretaris", "head,chief=kepala", "deputy=wakil", "official,officials=pejabat",
    "officer,officers=petugas,pejabat", "employee,employees,staff,personnel=pegawai",
    "civil servant=aparatur", "council,parliament=dprd,dewan", "member,members=anggota",
    # Government bodies and organisation.
    "government=pemerintah,pemerintahan", "regional,region=daerah,wilayah", "province=provinsi",
    "city=kota", "regency=kabupaten", "district=kecamatan", "village=desa,kelurahan", "national=nasional",
    "agency=badan,lembaga", "office=dinas,kantor", "department=dinas", "secretariat=sekretariat",
    "unit,units=unit,satuan", "division,section=bagian,bidang", "subdivision=subbagian",
    "institution,institutions,institutional=kelembagaan,lembaga,institusi",
    "organization,organisation,organizational=organisasi", "structure,composition=susunan,struktur",
    "position,status=kedudukan", "duty,duties,task,tasks=tugas", "function,functions=fungsi",
    "authority,authorities=kewenangan,wewenang", "responsible,responsibility,accountable=tanggung jawab",
    "report,reports,reporting=laporan,pelaporan", "coordination,coordinate=koordinasi",
    "leadership,leader=pimpinan,pemimpin", "work,working=kerja", "procedure,procedures=prosedur,tata cara",
    "standard,standards=standar", "guideline,guidelines,guidance=pedoman", "mechanism=mekanisme",
    "implement,implementation,implementing,carry,carries,conduct,conducts,execute=pelaksanaan,pelaksana,"
    "melaksanakan,dilaksanakan,penerapan,penyelenggaraan",
    "implementer,executor,auditor,auditors=pelaksana", "apply,application,applies=penerapan,permohonan",
    "management,manage,managing=pengelolaan,manajemen", "supervision,oversight,monitoring=pengawasan,pemantauan",
    "evaluation,evaluate,assessment=evaluasi,penilaian", "planning,plan,plans=perencanaan,rencana",
    "masterplan=induk", "strategy,strategic=strategi,strategis", "policy,policies=kebijakan",
    "program,programme,programs=program", "activity,activities=kegiatan", "target,targets=sasaran,target",
    "objective,objectives,purpose=tujuan", "principle,principles=prinsip,asas", "scope=ruang lingkup",
    "definition,definitions,meant=pengertian,dimaksud", "provision,provisions=ketentuan",
    "transitional=peralihan", "closing=penutup", "sanction,sanctions,penalty=sanksi",
    "article=pasal", "paragraph=ayat", "chapter=bab", "attachment,annex,appendix=lampiran",
    "amendment,amend,amends,amending=perubahan", "revoke,revokes,repeal=mencabut,dicabut",
    "effective,force=berlaku", "valid,validity=berlaku,sah,valid", "letter,letters=surat",
    "issue,issued,issues,issuing=terbit,diterbitkan,menerbitkan,penerbitan",
    "register,registration,registered,registry=pendaftaran,terdaftar,register,daftar",
    "must,shall,obliged,obligation=wajib,kewajiban,harus", "within,latest=paling lambat",
    "assign,assigned,assignment=menugaskan,ditugaskan,penugasan", "partner,partners,partnership=mitra,kemitraan",
    "cooperate,cooperation,cooperated=kerja sama,bekerja sama,kerjasama",
    "enacted,stipulated,established,establish=ditetapkan,menetapkan,dibentuk",
    # Money and numbers.
    "budget,budgets=anggaran", "cost,costs,funding,fund,funds=biaya,dana,pendanaan",
    "expenditure,spending=belanja", "price,prices=harga", "revenue,income=pendapatan",
    "year,years,annual,annually=tahun,tahunan", "month,months=bulan", "day,days=hari",
    "once=satu kali", "least=paling sedikit", "most=paling banyak", "number,amount,total=jumlah",
    "score,scores,value=nilai,skor", "index=indeks", "rank,ranking=peringkat", "level=tingkat",
    "increase,increased,rise=meningkat,peningkatan,naik", "decrease,decreased,decline=menurun,penurunan,turun",
    "change,changed,changes=perubahan,berubah",
    # Information, services and digital government.
    "information=informasi", "public=publik,umum", "documentation,document,documents=dokumentasi,dokumen",
    "service,services=layanan,pelayanan", "request,requests=permohonan,permintaan",
    "objection,objections,complaint=keberatan,pengaduan", "dispute=sengketa", "openness,transparency=keterbukaan",
    "electronic=elektronik", "digital=digital", "system,systems=sistem", "application,app,apps=aplikasi",
    "data=data", "one data=satu data", "security=keamanan", "secure=aman", "cyber=siber",
    "audit,audits,auditing=audit", "network,networks=jaringan", "infrastructure=infrastruktur",
    "center,centre=pusat", "integration,integrated=keterpaduan,integrasi,terpadu", "architecture=arsitektur",
    "innovation,innovations=inovasi", "transformation=transformasi", "acceleration=percepatan",
    "technology=teknologi", "communication=komunikasi", "website=laman,situs", "platform=platform",
    "governance=tata kelola", "smart=cerdas", "collaboration,collaborative=kolaborasi",
    "participation=partisipasi", "community,citizens,society,people=masyarakat,warga",
    "human=manusia", "resources=sumber daya", "training=pelatihan", "capacity=kapasitas",
    "development,develop,developed=pembangunan,pengembangan", "health,hospital=kesehatan,rumah sakit",
    "education,school=pendidikan,sekolah", "population,residents=penduduk", "poverty=kemiskinan",
    "flood,floods,flooding=banjir", "transport,transportation=transportasi", "tourism,tourists=pariwisata,wisatawan",
    "fishery,fisheries,fishing=perikanan", "environment=lingkungan", "waste=sampah",
    # Acronyms that questions use and formal texts spell out ("Badan Siber dan Sandi Negara"); the expansions
    # leave out the function words ("dan") that the index drops. Acronyms the documents use themselves
    # (SPBE, PPID, OPD) are not expanded: their words alone would match every passage on information.
    "perwali,perwal,perwako=peraturan walikota,peraturan wali kota", "perbup=peraturan bupati",
    "pergub=peraturan gubernur", "perda=peraturan daerah", "perpres=peraturan presiden",
    "kepwali,kepwako=keputusan walikota,keputusan wali kota", "kepbup=keputusan bupati",
    "kepgub=keputusan gubernur", "permendagri=peraturan menteri dalam negeri",
    "bssn=badan siber sandi negara", "bappeda=badan perencanaan pembangunan daerah",
    "diskominfo=dinas komunikasi informatika", "apbd=anggaran pendapatan belanja daerah",
)


def _words(side: str) -> list[str]:
    return [w.strip().lower() for w in side.split(",") if w.strip()]


@lru_cache(maxsize=1)
def glossary() -> dict[str, frozenset[str]]:
    """Each word or phrase (either language) → its translations."""
    table: dict[str, set[str]] = {}
    for entry in _ENTRIES:
        english, indonesian = (_words(side) for side in entry.split("="))
        for word in english:
            table.setdefault(word, set()).update(indonesian)
        for word in indonesian:
            table.setdefault(word, set()).update(english)
    return {word: frozenset(alts - {word}) for word, alts in table.items()}


def translations(word: str) -> frozenset[str]:
    """Translations of a single lowercased word or phrase; empty when the glossary does not know it."""
    return glossary().get(word, frozenset())
