"""Synthetic test data with known truth: an ODS registry extract, a SENR upload and the answers.

Used by the benchmarks (a 1,000,000-student registry, a 10,000-record upload) and by
`ssid-tui demo`. Everything comes from one `random.Random(seed)`: the same arguments give
byte-identical files.

How the data is made, and why (the matcher's benchmark is only as honest as this):

* The population is drawn household by household, so the registry holds the look-alikes
  real data has: siblings (same last name, same district, birth dates 14-48 months apart),
  twins (same last name, same birth date, different first name, often the same gender)
  and common-name collisions (names come from weighted pools with a Zipf-like skew, so
  JOSE GARCIA born on the same day exists several times in a million students).
* The mix is California's: about 54% Hispanic (two surnames for some, compound given
  names, accents in a share of records), White, Black, Vietnamese, Chinese, Korean,
  Filipino, Indian, Armenian, Arab, Japanese and mixed families; Asian-American children
  mostly carry English first names with an ethnic middle name, as they do in real rosters.
* Birth places follow the household: most children are born in California, some in other
  states, children born before an immigrant family's arrival are born abroad (MX with a
  state code, PH, VN, SV, GT, CN, KR, IN, AM...), a few have a blank state or country UU.
* About 10% of SSIDs have a second name line: an alias (an English or short name, or the
  other parent's surname) or an older legal name after a name change.
* The upload is a share `new_share` of students who are not in the registry (fresh
  kindergartners and arrivals, plus deliberate look-alikes: the unregistered twin or
  younger sibling of a registry student, a common name born close to a registry student)
  and registry students, each with one labelled variation (see `VARIATION_SHARES`).

Files: `ods_extract.txt` (docs/file-formats.md section 2: 19 `^`-separated fields, no header, UTF-8,
LF), `senr_upload.txt` (35-field SENR records, CRLF, SSID blank, academic year 2026-2027)
and `truth.csv` (`local_id,true_ssid,variation`; true_ssid blank for new students).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import TypeVar

from ssid_tui.formats.senr_fields import FIELD_BY_KEY

_T = TypeVar("_T")

__all__ = [
    "MULTI_COMBOS",
    "NEW_SHARES",
    "REGISTRY_NAME",
    "SENR_NAME",
    "SyntheticFiles",
    "TRUTH_NAME",
    "VARIATION_SHARES",
    "generate",
]

REGISTRY_NAME = "ods_extract.txt"
SENR_NAME = "senr_upload.txt"
TRUTH_NAME = "truth.csv"

#: Share of the upload's registry students given each variation (sums to 1).
#: A "multi" student gets two variations at once and is labelled "kind1+kind2".
VARIATION_SHARES: dict[str, float] = {
    "exact": 0.45,
    "typo": 0.08,
    "accent_punct": 0.07,
    "missing_optional": 0.055,
    "surname_part": 0.05,
    "nickname_en": 0.04,
    "nickname_es": 0.04,
    "phonetic": 0.03,
    "multi": 0.03,
    "middle_as_first": 0.025,
    "date_day_month": 0.025,
    "date_digit": 0.025,
    "swapped_names": 0.02,
    "alias_as_legal": 0.02,
    "particle": 0.015,
    "date_year": 0.015,
    "gender_diff": 0.01,
}

#: Share of the upload's new (unregistered) students of each kind (sums to 1).
NEW_SHARES: dict[str, float] = {
    "new": 0.40,  # a fresh student: mostly TK/KN entrants and arrivals from elsewhere
    "new_lookalike": 0.25,  # a common name born close to a registry student with that name
    "new_twin": 0.20,  # the unregistered twin of a registry student
    "new_sibling": 0.15,  # a younger (or older) sibling of a registry student
}

#: The pairs of variations a "multi" student gets (first applied first).
MULTI_COMBOS: tuple[tuple[str, str], ...] = (
    ("nickname_es", "typo"),
    ("nickname_en", "typo"),
    ("typo", "date_digit"),
    ("accent_punct", "date_day_month"),
    ("surname_part", "typo"),
    ("middle_as_first", "date_year"),
    ("phonetic", "missing_optional"),
    ("swapped_names", "accent_punct"),
    ("nickname_es", "surname_part"),
    ("alias_as_legal", "date_digit"),
)

# --------------------------------------------------------------------------------------
# Name pools, most common first. Comma-separated so that compound names keep their space.
# --------------------------------------------------------------------------------------

_EN_M = """NOAH, LIAM, ETHAN, DANIEL, JACOB, MATTHEW, ALEXANDER, MICHAEL, AIDEN, JAYDEN, DAVID,
ANTHONY, JOSHUA, ANDREW, BENJAMIN, ELIJAH, NATHAN, RYAN, JAMES, WILLIAM, LUCAS, CHRISTOPHER,
JONATHAN, LOGAN, DYLAN, ISAAC, GABRIEL, SEBASTIAN, JULIAN, OLIVER, ADRIAN, AARON, EVAN, CHRISTIAN,
ELIAS, HENRY, SAMUEL, JOSEPH, KEVIN, BRANDON, JUSTIN, NICHOLAS, TYLER, CALEB, ISAIAH, JACKSON,
MASON, LEVI, EZRA, JACK, THOMAS, JORDAN, ADAM, CONNOR, BRIAN, ERIC, ZACHARY, AUSTIN, CAMERON,
LUKE, OWEN, HUNTER, CARTER, WYATT, JOHN, ROBERT, RICHARD, STEVEN, STEPHEN, JASON, JEREMIAH,
JOSIAH, NATHANIEL, TIMOTHY, VINCENT, VICTOR, DOMINIC, MAXWELL, IAN, COLE, CHASE, BLAKE, BRADLEY,
TRISTAN, XAVIER, GAVIN, LANDON, ROMAN, AXEL, KAI, RYDER, DECLAN, EASTON, GRAYSON, HUDSON, LINCOLN,
MILES, PARKER, THEODORE, JAXON, CARSON, COLTON, BRAYDEN, EDWARD, PATRICK, PETER, PAUL, MARCUS,
TRAVIS, KYLE, SEAN, SHAWN, DEREK, SPENCER, GARRETT, MITCHELL, CODY, TREVOR, SETH, JARED, ZION,
JAYCE, KINGSTON, MALACHI, ELLIOT, LEO, ASHER, EMMETT, SILAS, BENNETT, GRANT, PRESTON, DAMIEN,
BRYCE, CHARLES, GEORGE, FRANCIS, PHILIP, JEFFREY, KENNETH, GREGORY, RAYMOND, RONALD, DOUGLAS,
TROY, DEVIN, COREY, BRYAN, AIDAN, JADEN, MARK, ALLEN, ERIK, LEONARDO, ELI, MICAH, RILEY, JESSE"""

_EN_F = """SOPHIA, EMMA, OLIVIA, ISABELLA, MIA, EMILY, ABIGAIL, MADISON, CHLOE, ELIZABETH, AVA, ELLA,
NATALIE, GRACE, SAMANTHA, ALEXIS, HANNAH, ASHLEY, ADDISON, LILY, AUBREY, EVELYN, AVERY, ZOE,
VICTORIA, ALYSSA, SARAH, LEAH, HAILEY, CHARLOTTE, AMELIA, HARPER, SCARLETT, AUDREY, NORA, HAZEL,
STELLA, AURORA, VIOLET, PENELOPE, LAYLA, RILEY, ARIANA, BRIANNA, JASMINE, KAYLA, JESSICA,
JENNIFER, KATHERINE, CATHERINE, KAITLYN, ALLISON, ANNA, MACKENZIE, TAYLOR, SYDNEY, MORGAN, LAUREN,
RACHEL, REBECCA, MEGAN, NICOLE, STEPHANIE, MELANIE, VANESSA, ANGELINA, GABRIELLA, JULIA, CLAIRE,
LUCY, SADIE, PAISLEY, SAVANNAH, BROOKLYN, BAILEY, PAIGE, KYLIE, JADE, KENNEDY, PEYTON, MAYA,
AALIYAH, NAOMI, RUBY, ALICE, MADELYN, ELEANOR, KIMBERLY, MICHELLE, AMANDA, ANDREA, DIANA, ANGELA,
VERONICA, CAROLINE, MARGARET, ALEXANDRA, JOCELYN, MIRANDA, MOLLY, ISABEL, IVY, JOSEPHINE,
LILLIAN, MADELINE, AUTUMN, QUINN, SKYLER, REAGAN, DELILAH, ELLIE, EMERSON, KINSLEY, EVERLY, NOVA,
WILLOW, NEVAEH, ARIA, ALINA, AMY, JULIE, HEATHER, CHRISTINA, TIFFANY, CRYSTAL, ERICA, SIERRA,
TRINITY, DESTINY, FAITH, HOPE, ROSE, SARA, ZOEY, KATELYN, CAITLIN, BRIANA, ARIANNA, NATALY,
JACQUELINE, ISABELLE, ASHLEIGH, KHLOE, NICHOLE, KATHRYN, LESLIE, MACY, HOLLY, LAILA"""

_ES_M = """JOSE, JUAN, LUIS, CARLOS, JESUS, MIGUEL, ANGEL, MATEO, SANTIAGO, DIEGO, ALEJANDRO,
FRANCISCO, ANTONIO, JORGE, EDUARDO, RICARDO, FERNANDO, MANUEL, EMILIANO, LEONARDO, DANIEL, DAVID,
GABRIEL, JOSE LUIS, JUAN CARLOS, JOSE ANGEL, MIGUEL ANGEL, LUIS ANGEL, JUAN PABLO, JOSE MANUEL,
JOSE ANTONIO, JUAN JOSE, GUILLERMO, IGNACIO, ALBERTO, ROBERTO, ENRIQUE, ARMANDO, ALFREDO, ANDRES,
RAFAEL, RAUL, RAMON, ROGELIO, RUBEN, SALVADOR, SERGIO, OSCAR, HECTOR, GERARDO, GILBERTO, GUSTAVO,
HUGO, IVAN, JAVIER, JAIME, JULIO, MARCO, MARIO, MARTIN, MAURICIO, NESTOR, OMAR, ORLANDO, PABLO,
PEDRO, RODRIGO, ROLANDO, SAUL, TOMAS, URIEL, VALENTIN, YAHIR, JAHIR, AXEL, ALAN, BRYAN, KEVIN,
CRISTIAN, ERICK, EDGAR, EMMANUEL, ISRAEL, ELIAS, EZEQUIEL, FELIPE, AGUSTIN, ABRAHAM, ABEL,
ALONSO, ALDO, ARTURO, CESAR, DAMIAN, DARIO, EFRAIN, ESTEBAN, FABIAN, GAEL, ISMAEL, JOAQUIN,
LEONEL, LORENZO, MAXIMILIANO, MOISES, NICOLAS, OCTAVIO, RAMIRO, REYNALDO, ULISES, IKER, THIAGO,
JOEL, ADAN, MISAEL, JOSUE, GIOVANNI, GEOVANNY, JOSE MARIA, MATIAS, HUMBERTO, REFUGIO, JONATHAN"""

_ES_F = """MARIA, SOFIA, CAMILA, VALENTINA, XIMENA, VALERIA, GUADALUPE, DANIELA, MARIANA, FERNANDA,
ANA, NATALIA, ANDREA, ALEJANDRA, GABRIELA, PAOLA, ESMERALDA, YESENIA, ALONDRA, LUCIA, REGINA,
RENATA, ELENA, EMILIA, JULIETA, ABRIL, NAYELI, ARELY, ITZEL, KARLA, KARINA, LETICIA, LORENA, LUZ,
MARISOL, MONICA, NANCY, PATRICIA, ROSA, ROSARIO, SANDRA, SILVIA, YAZMIN, JAZMIN, DULCE, ESTRELLA,
PALOMA, PERLA, MIREYA, BRISA, CITLALI, ARACELI, ADRIANA, BEATRIZ, BLANCA, CAROLINA, CLAUDIA,
CRISTINA, CYNTHIA, GRACIELA, IRENE, ISABEL, JAQUELINE, JULIANA, LIZBETH, LIZETH, MARISA, MARTHA,
NOEMI, RAQUEL, ROCIO, SUSANA, TERESA, YARETZI, YAMILETH, AMERICA, ANAHI, AYLIN, DAYANA, GENESIS,
MARIA JOSE, MARIA FERNANDA, ANA SOFIA, MARIA GUADALUPE, ANA LUCIA, MARIA ELENA, MARIA ISABEL,
LUZ MARIA, DOLORES, CONSUELO, MERCEDES, ROSALINDA, ESPERANZA, JIMENA, JESENIA, NAYELY, MELANY,
ESTEFANIA, GISELLE, JOHANNA, LILIANA, MAYRA, VIVIANA, YOLANDA, ZULEMA, ISABELLA, VICTORIA,
EVELYN, JOCELYN, ASHLEY, KIMBERLY, LESLY, STEPHANIE, VANESSA, MELANIE, ARIANNA, AITANA"""

_BLK_M = """JAYLEN, JALEN, DEANDRE, DARIUS, MALIK, JAMAL, TERRELL, DESHAWN, TYRONE, JAMARI, KAMARI,
AMARI, KHALIL, MARQUIS, TREVON, DAVION, JAYDON, KEYSHAWN, DEMARCUS, ANDRE, REGINALD, CEDRIC,
DWAYNE, JAMIR, JABARI, KAYDEN, DONOVAN, DARNELL, LAMAR, RASHAD"""
_BLK_F = """AALIYAH, JADA, IMANI, NIA, DESTINY, TIANA, KIARA, JAYLA, NEVAEH, ZARIA, AMIRA, ASIA,
ESSENCE, DIAMOND, KENNEDI, TAMIA, LONDON, SKYLA, JANIYAH, ANIYAH, MAKAYLA, NYLAH, LAILA, TATIANA,
SHANICE, EBONY, JAZMINE, KEISHA, AMARA, ZURI"""

_VI_M = """MINH, KHANH, BAO, HUY, DUY, NAM, QUANG, TUAN, HIEU, LONG, KHOA, PHUC, THIEN, VINH, DUC, HUNG,
THANH, TRUNG, HOANG, KIET, TAI, TRI, AN, THINH, DAT"""
_VI_F = """VY, LINH, NGOC, TRANG, MAI, ANH, THAO, HUONG, HANH, TAM, UYEN, QUYNH, NHI, THUY, NHU, TIEN,
THU, HOA, KIM, LAN, PHUONG, TRAM, HA, YEN, DIEM"""
_ZH_M = """HAO, JUN, WEI, YI, HAORAN, ZIHAN, YUXUAN, ZIXUAN, YICHEN, MUCHEN, KAI, JIAN, MING, TIAN, YU,
ZHE, JIAHAO, ZHIHAO, BOWEN, RUI, CHENG, YANG, HAOYU, ZEYU"""
_ZH_F = """XINYI, YUTONG, SIYU, JIAYI, YIXUAN, MEI, LING, XIN, YAN, XIAO, JING, HUI, QIAN, WEN, ZIYI,
SHUYA, YUQI, YIYI, MENGYAO, RUOXI, YUE, XUAN, ZIHAN, TINGTING"""
_KO_M = """MIN-JUN, SEO-JUN, DO-YUN, JI-HO, JI-WOO, HA-JOON, JUN-SEO, JI-HOON, HYUN-WOO, SUNG-MIN,
JAE-WON, TAE-YANG, DONG-HYUN, YOUNG-HO, JUNG-HO, SEUNG-HYUN, JOON-YOUNG, WOO-JIN, MIN-HO, SANG-WOO"""
_KO_F = """SEO-YEON, SEO-YUN, JI-WOO, JI-YOO, HA-EUN, SU-AH, JI-MIN, YE-JIN, CHAE-WON, DA-EUN, MIN-SEO,
SO-YEON, YU-NA, HYE-JIN, EUN-JI, SU-BIN, JI-YEON, HA-YOON, YE-EUN, NA-YEON"""
_FIL_M = """JOHN PAUL, MARK ANTHONY, JOHN MICHAEL, JOHN CARLO, JERICHO, ANGELO, RAPHAEL, NINO, PAOLO,
JOHN LLOYD, CARLO, RENZ, RONALDO, ARVIN, JAYSON, MARVIN, NOEL, REY, JOMAR, KIER"""
_FIL_F = """MARY GRACE, MARY JOY, MARIA CLARA, ANGELICA, KRISTINE, PRINCESS, ANGEL, CHERRY, JOY, LOVELY,
RHEA, JHOANNA, CHARMAINE, MARICEL, ROWENA, MYLENE, JANELLE, ROSALIE, MARY ANN, ANNE MARIE"""
_IN_M = """AARAV, ARJUN, VIHAAN, ROHAN, ISHAAN, AYAAN, KRISHNA, ADITYA, ARYAN, SIDDHARTH, RAHUL, VIKRAM,
ANIKET, DEV, NIKHIL, SAI, KABIR, REYANSH, AARUSH, VEDANT, PRANAV, RISHI, NEEL, GURPREET, JASKARAN"""
_IN_F = """ANANYA, DIYA, PRIYA, AANYA, ISHA, SANVI, SAANVI, AADHYA, KAVYA, RIYA, SHREYA, TANVI, NISHA,
POOJA, ANIKA, MEERA, AVNI, IRA, SIYA, NAVYA, SIMRAN, HARLEEN, JASLEEN, MANPREET, NAVNEET"""
_HY_M = """ARMAN, DAVIT, ARAM, NAREK, TIGRAN, GOR, HAYK, ARTUR, ARMEN, VAHE, ARSEN, ERIK, SEVAK, GAREN,
HOVIK, RAFFI, KAREN, LEVON, VARDAN, SAMVEL, MHER, ZAVEN, ARTASHES, ASHOT, GEVORG"""
_HY_F = """ANI, NAIRA, LUSINE, MARIAM, ARPI, SONA, NARINE, LILIT, ANAHIT, TATEVIK, NANE, ARMINE,
SIRANUSH, GAYANE, ELEN, MANE, LIANA, TAGUHI, HASMIK, SHUSHAN, ALVARD, ARPINE, SEDA, NVARD"""
_AR_M = """MOHAMMED, MUHAMMAD, MOHAMED, AHMED, AHMAD, OMAR, YOUSEF, YUSUF, ALI, HASSAN, HUSSEIN, IBRAHIM,
KHALID, MUSTAFA, ABDULLAH, ADAM, ZAID, KARIM, SAMI, TARIQ, HAMZA, BILAL, AMIR, YASIN, FARIS"""
_AR_F = """FATIMA, AISHA, MARYAM, ZAINAB, NOOR, LAYLA, LEILA, SARA, HANA, HIBA, AMAL, RANIA, YASMIN,
MALAK, SALMA, DUNYA, RAWAN, LINA, REEM, ZAHRA"""
_JA_M = """HARUTO, SOTA, YUTO, RIKU, KENJI, HIROSHI, TAKESHI, RYO, KAITO, REN, DAIKI, SHO"""
_JA_F = """YUNA, HINA, AOI, SAKURA, YUI, MIO, HARUKA, AIKO, EMI, KAORI, MAI, NAOMI"""

_ES_LAST = """GARCIA, HERNANDEZ, LOPEZ, MARTINEZ, GONZALEZ, RODRIGUEZ, PEREZ, SANCHEZ, RAMIREZ, FLORES,
TORRES, RIVERA, GOMEZ, DIAZ, CRUZ, MORALES, REYES, GUTIERREZ, ORTIZ, CHAVEZ, RAMOS, RUIZ, MENDOZA,
CASTILLO, JIMENEZ, VASQUEZ, ALVAREZ, MORENO, ROMERO, HERRERA, MEDINA, AGUILAR, VARGAS, CASTRO,
GUZMAN, FERNANDEZ, JUAREZ, MUNOZ, SALAZAR, GUERRERO, ROJAS, ORTEGA, DELGADO, ESTRADA, CONTRERAS,
LUNA, SANDOVAL, NUNEZ, DOMINGUEZ, VAZQUEZ, RIOS, VALDEZ, MEJIA, SOTO, DE LA CRUZ, CERVANTES,
GUERRA, MOLINA, AVILA, ZAMORA, PADILLA, CAMPOS, VEGA, FUENTES, CARDENAS, CABRERA, MARQUEZ, ACOSTA,
IBARRA, ROSALES, VALENCIA, ESPINOZA, PENA, NAVARRO, LARA, TRUJILLO, SILVA, CORTEZ, MIRANDA,
VELASQUEZ, DE LEON, CARRILLO, BARRERA, VILLANUEVA, ROBLES, ESPINOSA, SOLIS, ACEVEDO, PACHECO,
VALENZUELA, OCHOA, MACIAS, MALDONADO, ZUNIGA, NAVA, BELTRAN, SALINAS, MEZA, SALAS, CALDERON,
OROZCO, VILLEGAS, ARELLANO, FRANCO, LOZANO, BAUTISTA, MONTOYA, RANGEL, SERRANO, CISNEROS,
ALVARADO, GALLEGOS, VILLALOBOS, ZAVALA, CORONA, PONCE, GALVAN, HUERTA, TAPIA, MENDEZ, VELAZQUEZ,
BECERRA, RIVAS, DE LA ROSA, ARIAS, CORDOVA, CAMACHO, QUINTERO, LEON, MARIN, ESCOBAR, BAEZ,
OCAMPO, MAGANA, CASTANEDA, ORDONEZ, IBANEZ, YANEZ, QUINONEZ, CERDA, BARAJAS, VILLARREAL, DEL RIO,
DE JESUS, DE LOS SANTOS, DE LA TORRE, ALCARAZ, AVALOS, ARROYO, BANUELOS, BRAVO, BUSTOS,
CHAVARRIA, DURAN, ENRIQUEZ, FELIX, GALINDO, GARZA, GODINEZ, GRANADOS, HURTADO, JACOBO, LEYVA,
LIMON, LUGO, MADRIGAL, MATA, MORA, NEGRETE, OLIVARES, PALACIOS, PRECIADO, QUEZADA, RENTERIA,
SEGURA, SOLORZANO, TOVAR, URIBE, VERDUZCO, ZEPEDA, GONZALES, RODRIGUES, CHAVES"""

_EN_LAST = """SMITH, JOHNSON, WILLIAMS, BROWN, JONES, MILLER, DAVIS, WILSON, ANDERSON, TAYLOR, THOMAS,
MOORE, MARTIN, JACKSON, THOMPSON, WHITE, HARRIS, CLARK, LEWIS, ROBINSON, WALKER, YOUNG, ALLEN,
KING, WRIGHT, SCOTT, HILL, GREEN, ADAMS, BAKER, NELSON, CARTER, MITCHELL, ROBERTS, TURNER,
PHILLIPS, CAMPBELL, PARKER, EVANS, EDWARDS, COLLINS, STEWART, MORRIS, MURPHY, COOK, ROGERS,
MORGAN, COOPER, PETERSON, BAILEY, REED, KELLY, HOWARD, COX, WARD, RICHARDSON, WATSON, BROOKS,
WOOD, JAMES, BENNETT, GRAY, HUGHES, PRICE, MYERS, LONG, FOSTER, SANDERS, ROSS, POWELL, SULLIVAN,
RUSSELL, PERRY, BUTLER, BARNES, FISHER, HENDERSON, COLEMAN, SIMMONS, PATTERSON, JORDAN,
REYNOLDS, HAMILTON, GRAHAM, WALLACE, WEST, COLE, HAYES, BRYANT, GIBSON, ELLIS, STEVENS, MURRAY,
FORD, MARSHALL, OWENS, MCDONALD, HARRISON, KENNEDY, WELLS, WEBB, TUCKER, PORTER, HUNTER, HICKS,
CRAWFORD, HENRY, BOYD, MASON, WARREN, DIXON, BURNS, GORDON, SHAW, HOLMES, RICE, ROBERTSON, HUNT,
DANIELS, PALMER, MILLS, NICHOLS, GRANT, KNIGHT, FERGUSON, STONE, HAWKINS, DUNN, PERKINS, HUDSON,
SPENCER, GARDNER, STEPHENS, PAYNE, PIERCE, BERRY, MATTHEWS, ARNOLD, WAGNER, WILLIS, WATKINS,
OLSON, CARROLL, DUNCAN, SNYDER, HART, CUNNINGHAM, BRADLEY, LANE, ANDREWS, O'BRIEN, O'CONNOR,
O'NEILL, O'DONNELL, MCCARTHY, MACDONALD, MCKENZIE, SCHMIDT, MUELLER, SCHNEIDER, WEBER, BECKER,
KOWALSKI, NOVAK, ROSSI, RUSSO, ROMANO, ESPOSITO, COHEN, LEVY, SCHWARTZ, FRIEDMAN, KAPLAN, IVANOV,
PETROV, SMIRNOV, KOVALENKO, SHEVCHENKO, D'ANGELO, DI MARCO, VAN DYKE, ST. JOHN, ST. CLAIR,
LEBLANC, ANDERSEN, PETERSEN, JENSEN, LARSON, HANSEN, OLSEN, MEYER, THOMSON, SMYTHE, MEIER"""

_BLK_LAST = """WILLIAMS, JOHNSON, SMITH, JONES, BROWN, JACKSON, DAVIS, THOMAS, HARRIS, ROBINSON, TAYLOR,
WILSON, MOORE, WHITE, WASHINGTON, WALKER, THOMPSON, LEWIS, ANDERSON, JENKINS, GREEN, WRIGHT,
YOUNG, MITCHELL, BANKS, JEFFERSON, HOLMES, MOSLEY, SIMMONS, COLEMAN, BOOKER, GAINES, OKAFOR,
OKONKWO, ADEYEMI, TESFAYE, HAILE, BEKELE, GEBREMEDHIN, JOSEPH, PIERRE, CAMPBELL, FREEMAN, JAMES"""
_VI_LAST = """NGUYEN, TRAN, LE, PHAM, HUYNH, HOANG, PHAN, VU, VO, DANG, BUI, DO, HO, NGO, DUONG, LY,
TRUONG, LAM, DINH, LUONG, TA, MAI, CAO, LUU, NGUYEN-TRAN"""
_ZH_LAST = """WANG, LI, ZHANG, LIU, CHEN, YANG, HUANG, ZHAO, WU, ZHOU, XU, SUN, MA, ZHU, HU, GUO, HE, LIN,
LUO, GAO, LIANG, ZHENG, XIE, SONG, TANG, FENG, DENG, PENG, WONG, CHAN, LEUNG, CHEUNG, LAU, LAM,
NG, CHOW, YEUNG, TSANG, TAM, FUNG, LEE, YU, CHU, CHANG, TSAI, HSU, CHIU, KUO, LIAO"""
_KO_LAST = """KIM, LEE, PARK, CHOI, JUNG, CHUNG, KANG, CHO, YOON, YUN, JANG, LIM, HAN, OH, SEO, SHIN,
KWON, HWANG, AHN, SONG, YOO, HONG, MOON, KO, CHOY"""
_FIL_LAST = """SANTOS, REYES, CRUZ, BAUTISTA, DELA CRUZ, GARCIA, MENDOZA, TORRES, OCAMPO, DE LEON,
DE GUZMAN, DEL ROSARIO, VILLANUEVA, RAMOS, AQUINO, CASTILLO, FLORES, PASCUAL, MANALO, CASTRO,
SORIANO, AGUILAR, NAVARRO, DIZON, MACARAEG, DELOS SANTOS, SAN JUAN, DE VERA, GONZALES, TOLENTINO,
SALVADOR, MERCADO, TAN, ESPIRITU, CABRERA, DOMINGO, VALDEZ, LACSON, PANGILINAN, SANTIAGO"""
_IN_LAST = """PATEL, SINGH, SHAH, KAUR, KUMAR, SHARMA, GUPTA, REDDY, DESAI, MEHTA, RAO, IYER, NAIR, JOSHI,
SANDHU, GILL, SIDHU, DHALIWAL, GREWAL, CHOPRA, KAPOOR, AGARWAL, BHATT, PATIL, MISHRA, VERMA,
CHAUDHARY, BRAR, SANGHA"""
_HY_LAST = """SARGSYAN, PETROSYAN, HAKOBYAN, GRIGORYAN, KHACHATRYAN, SARKISIAN, MARTIROSYAN, AVETISYAN,
HOVHANNISYAN, PETROSIAN, MKRTCHYAN, KARAPETYAN, MANUKYAN, GEVORGYAN, HARUTYUNYAN, GRIGORIAN,
BAGHDASARYAN, SIMONYAN, VARDANYAN, TER-PETROSYAN, AKOPIAN, KHACHATURIAN, MELKONIAN, KASPARIAN,
GASPARYAN, ABRAMYAN, ASATRYAN, ALEKSANYAN, DAVTYAN, MIRZOYAN, GALSTYAN, TOROSYAN, OGANESYAN,
TER-GRIGORYAN, ARUTYUNYAN, HOVANESIAN, KARAPETIAN"""
_AR_LAST = """HASSAN, ALI, AHMED, MOHAMMED, IBRAHIM, KHAN, MOHAMMADI, AHMADI, HUSSAIN, ABDULLAH, HADDAD,
SALEH, NASSER, AZIZ, AL-SAYED, AL-HASSAN, ABU-ZAID, EL-KHOURY, KHOURY, SAAD, YOUSSEF, MANSOUR,
HAMDAN, OMAR, QURESHI, RAHIMI, HOSSEINI, MOHAMED, HUSSEIN, AL-AMIN"""
_JA_LAST = """SATO, SUZUKI, TAKAHASHI, TANAKA, WATANABE, ITO, YAMAMOTO, NAKAMURA, KOBAYASHI, KATO, YOSHIDA,
YAMADA, SASAKI, YAMAGUCHI, MATSUMOTO, INOUE, KIMURA, HAYASHI, SHIMIZU, MORI, OTA, NAKANO"""


def _names(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for part in text.replace("\n", " ").split(","):
        name = " ".join(part.split())
        if name and name not in out:
            out.append(name)
    return tuple(out)


# Accented spellings a share of Hispanic records carry (per token, in upper case).
_ACCENTED: dict[str, str] = {
    k: v
    for k, v in (
        pair.split("=")
        for pair in """JOSE=JOSÉ JESUS=JESÚS SOFIA=SOFÍA MARIA=MARÍA LUCIA=LUCÍA RAUL=RAÚL RAMON=RAMÓN
ANDRES=ANDRÉS TOMAS=TOMÁS MARTIN=MARTÍN JOAQUIN=JOAQUÍN AGUSTIN=AGUSTÍN VALENTIN=VALENTÍN
HECTOR=HÉCTOR OSCAR=ÓSCAR ANGEL=ÁNGEL IVAN=IVÁN JULIAN=JULIÁN SEBASTIAN=SEBASTIÁN ADRIAN=ADRIÁN
DAMIAN=DAMIÁN FABIAN=FABIÁN CESAR=CÉSAR EFRAIN=EFRAÍN MOISES=MOISÉS JOSUE=JOSUÉ NICOLAS=NICOLÁS
SAUL=SAÚL NOEMI=NOEMÍ ROCIO=ROCÍO ANAHI=ANAHÍ CITLALI=CITLALÍ AMERICA=AMÉRICA MONICA=MÓNICA
DARIO=DARÍO ELIAS=ELÍAS MATIAS=MATÍAS GENESIS=GÉNESIS ESTEFANIA=ESTEFANÍA ADAN=ADÁN
GARCIA=GARCÍA HERNANDEZ=HERNÁNDEZ LOPEZ=LÓPEZ MARTINEZ=MARTÍNEZ GONZALEZ=GONZÁLEZ
RODRIGUEZ=RODRÍGUEZ PEREZ=PÉREZ SANCHEZ=SÁNCHEZ RAMIREZ=RAMÍREZ GOMEZ=GÓMEZ DIAZ=DÍAZ
GUTIERREZ=GUTIÉRREZ CHAVEZ=CHÁVEZ JIMENEZ=JIMÉNEZ VASQUEZ=VÁSQUEZ VAZQUEZ=VÁZQUEZ
ALVAREZ=ÁLVAREZ FERNANDEZ=FERNÁNDEZ JUAREZ=JUÁREZ MUNOZ=MUÑOZ NUNEZ=NÚÑEZ DOMINGUEZ=DOMÍNGUEZ
RIOS=RÍOS MEJIA=MEJÍA AVILA=ÁVILA CARDENAS=CÁRDENAS MARQUEZ=MÁRQUEZ PENA=PEÑA
VELASQUEZ=VELÁSQUEZ ZUNIGA=ZÚÑIGA MACIAS=MACÍAS BELTRAN=BELTRÁN CALDERON=CALDERÓN GALVAN=GALVÁN
MENDEZ=MÉNDEZ VELAZQUEZ=VELÁZQUEZ LEON=LEÓN MARIN=MARÍN BAEZ=BÁEZ MAGANA=MAGAÑA
CASTANEDA=CASTAÑEDA ORDONEZ=ORDÓÑEZ IBANEZ=IBÁÑEZ YANEZ=YÁÑEZ QUINONEZ=QUIÑÓNEZ DURAN=DURÁN
GODINEZ=GODÍNEZ ENRIQUEZ=ENRÍQUEZ BANUELOS=BAÑUELOS SOLORZANO=SOLÓRZANO CHAVARRIA=CHAVARRÍA
RENTERIA=RENTERÍA LIMON=LIMÓN GUZMAN=GUZMÁN""".split()
    )
}
_UNACCENT = str.maketrans("ÁÉÍÓÚÑÜáéíóúñü", "AEIOUNUaeiounu")


def _plain(name: str) -> str:
    return name.translate(_UNACCENT)


def _accent(name: str) -> str:
    if not name:
        return name
    return " ".join(_ACCENTED.get(t, t) for t in name.split(" "))


def _table(text: str) -> dict[str, tuple[str, ...]]:
    """'FULL:NICK/NICK; ...' -> {FULL: (NICK, NICK)}."""
    out: dict[str, tuple[str, ...]] = {}
    for item in text.replace("\n", " ").split(";"):
        if item.strip():
            full, nicks = item.split(":")
            out[" ".join(full.split())] = tuple(" ".join(n.split()) for n in nicks.split("/"))
    return out


_NICK_EN = _table("""ROBERT:BOB/ROB/BOBBY/ROBBIE; WILLIAM:WILL/BILL/BILLY/LIAM; ELIZABETH:LIZ/BETH/ELIZA/LIZZIE/BETSY;
KATHERINE:KATE/KATIE/KAT; CATHERINE:CATHY/CAT/KATE; KATHRYN:KATE/KATIE; ALEXANDER:ALEX/XANDER;
ALEXANDRA:ALEX/LEXI/ALLIE; CHRISTOPHER:CHRIS; MATTHEW:MATT; NICHOLAS:NICK/NICKY; BENJAMIN:BEN/BENNY;
JONATHAN:JON/JOHNNY; SAMUEL:SAM/SAMMY; SAMANTHA:SAM/SAMMY; ANTHONY:TONY; JOSEPH:JOE/JOEY;
MICHAEL:MIKE/MIKEY; DANIEL:DANNY/DAN; JAMES:JIM/JIMMY/JAMIE; ABIGAIL:ABBY/ABBIE; VICTORIA:TORI/VICKY;
JESSICA:JESS/JESSIE; JENNIFER:JENNY/JEN; MARGARET:MAGGIE/MEG/PEGGY; ISABELLA:BELLA/IZZY;
GABRIELLA:GABBY/ELLA; NATHANIEL:NATE; ZACHARY:ZACH/ZACK; JACOB:JAKE; EDWARD:ED/EDDIE/TED;
RICHARD:RICK/RICHIE; THOMAS:TOM/TOMMY; TIMOTHY:TIM/TIMMY; ANDREW:ANDY/DREW; STEVEN:STEVE;
STEPHEN:STEVE; PATRICK:PAT; CHRISTINA:TINA/CHRISTY; KIMBERLY:KIM; REBECCA:BECKY/BECCA; GREGORY:GREG;
JEFFREY:JEFF; KENNETH:KEN/KENNY; RAYMOND:RAY; RONALD:RON/RONNIE; DOUGLAS:DOUG; CHARLES:CHARLIE/CHUCK;
THEODORE:THEO/TEDDY; MADELINE:MADDIE; MADISON:MADDIE/MADDY; EVELYN:EVIE; ELEANOR:ELLIE/NORA;
PENELOPE:PENNY; JOSEPHINE:JOSIE; CHARLOTTE:CHARLIE/LOTTIE; AMANDA:MANDY; ALLISON:ALLIE;
NATALIE:NAT; HENRY:HANK; PETER:PETE; PHILIP:PHIL; FRANCIS:FRANK; VINCENT:VINCE/VINNIE;
MAXWELL:MAX; DOMINIC:DOM; LEONARDO:LEO; SEBASTIAN:BASTIAN; GABRIEL:GABE; ELIJAH:ELI; EZEKIEL:ZEKE;
ISAAC:IKE; JACQUELINE:JACKIE; STEPHANIE:STEPH; VALERIE:VAL; ANGELINA:ANGIE; ANGELA:ANGIE;
CHRISTIAN:CHRIS; CAMERON:CAM; NATHAN:NATE; MICHELLE:SHELLY; ALYSSA:ALY""")

_NICK_ES = _table("""JOSE:PEPE/CHEPE; FRANCISCO:PACO/PANCHO/KIKO; GUADALUPE:LUPE/LUPITA; JESUS:CHUY/CHUCHO;
IGNACIO:NACHO; GUILLERMO:MEMO; EDUARDO:LALO; ALBERTO:BETO; ROBERTO:BETO; HUMBERTO:BETO;
ALEJANDRO:ALEX/ALE; ANTONIO:TOÑO/TONY; ENRIQUE:KIKE/QUIQUE; ROSARIO:CHAYO; CONSUELO:CHELO;
REFUGIO:CUCO; DOLORES:LOLA; MERCEDES:MECHE; SANTIAGO:SANTI; ALFREDO:FREDDY; GERARDO:JERRY;
ESPERANZA:ESPY; GRACIELA:CHELA; MARIA JOSE:MAJO; JOSE MARIA:CHEMA; MARIA GUADALUPE:LUPE;
MANUEL:MANNY/MANOLO; SALVADOR:CHAVA; ISABEL:CHABELA; FERNANDO:NANDO; ARMANDO:MANDO;
RICARDO:RICKY; DANIELA:DANI; ALEJANDRA:ALE; VALENTINA:VALE; GUSTAVO:TAVO; RODRIGO:RODRI;
JOSE LUIS:JOSELO; JUAN CARLOS:JUANCA; CARLOS:CHARLIE; JORGE:GEORGE; MAXIMILIANO:MAX""")

# Spellings that sound alike (every member of a group may be written as another member).
_PHONETIC_GROUPS: tuple[tuple[str, ...], ...] = tuple(
    tuple(g.split("/"))
    for g in """STEPHEN/STEVEN KATHERINE/CATHERINE/KATHRYN JOHN/JON SARAH/SARA ISABEL/ISABELLE/YSABEL
JAYDEN/JADEN/JAIDEN/JAYDON AIDEN/AIDAN/AYDEN BRIAN/BRYAN ERIC/ERIK/ERICK ASHLEY/ASHLEIGH/ASHLY
MADISON/MADYSON KAITLYN/CAITLIN/KATELYN JASMINE/JAZMIN/YASMIN/YAZMIN/JAZMINE YESENIA/JESENIA
GIOVANNI/GEOVANNY/GIOVANNY JONATHAN/JONATHON/JHONATAN BRIANNA/BRIANA ARIANA/ARIANNA
NATALIE/NATALY/NATALI EVELYN/EVELIN JACQUELINE/JAQUELINE/JAKELINE YAHIR/JAHIR XIMENA/JIMENA
NAYELI/NAYELY ALAN/ALLEN/ALLAN MARK/MARC PHILIP/PHILLIP ZOE/ZOEY CHLOE/KHLOE SOPHIA/SOFIA
NICOLE/NICHOLE CHRISTIAN/CRISTIAN CHRISTOPHER/CRISTOPHER MOHAMMED/MUHAMMAD/MOHAMED/MOHAMMAD
AHMED/AHMAD YOUSEF/YUSUF/YOUSSEF LEILA/LAYLA/LAILA SANVI/SAANVI JAYLEN/JALEN/JAYLON
LESLIE/LESLY/LESLEY MELANIE/MELANY STEPHANIE/STEFANIE/ESTEFANI EMMANUEL/EMANUEL ISAAC/ISAC
MATTHEW/MATHEW JEFFREY/GEOFFREY GEORGE/JORGE? HAILEY/HAYLEE/HALEY KAYLA/KALEA ELIJAH/ELIJA
GONZALEZ/GONZALES RODRIGUEZ/RODRIGUES HERNANDEZ/HERNANDES VASQUEZ/VAZQUEZ/VASQUES
JIMENEZ/GIMENEZ/JIMINEZ CERVANTES/SERVANTES ZAVALA/SAVALA VILLALOBOS/VILLALOVOS
VELASQUEZ/VELAZQUEZ SMITH/SMYTHE THOMPSON/THOMSON LEE/LI JOHNSON/JONSON MEYER/MEIER/MAYER
PETERSON/PETERSEN ANDERSON/ANDERSEN OLSON/OLSEN CHAVEZ/CHAVES ALVAREZ/ALVARES PEREZ/PERES
SANCHEZ/SANCHES FLORES/FLOREZ ORTIZ/ORTIS CORTEZ/CORTES SARGSYAN/SARKISIAN/SARGSIAN
PETROSYAN/PETROSIAN GRIGORYAN/GRIGORIAN HAKOBYAN/HAKOPIAN/AKOPIAN HOVHANNISYAN/HOVANESIAN/OGANESYAN
KHACHATRYAN/KHACHATURIAN HARUTYUNYAN/ARUTYUNYAN KARAPETYAN/KARAPETIAN CHOI/CHOY JUNG/CHUNG
YOON/YUN HUSSAIN/HUSSEIN KHOURY/KHOURI HADDAD/HADAD MACDONALD/MCDONALD RIVERA/RIBERA
VALDEZ/VALDES MENDEZ/MENDES RAMIREZ/RAMIRES GUTIERREZ/GUTIERES DOMINGUEZ/DOMINGUES YANEZ/YANES
QUINONEZ/QUINONES NGUYEN/NGUYN HUYNH/HUINH PHAM/PHAN? WONG/WONGE? CHEUNG/CHEONG LEUNG/LEONG""".split()
    if "?" not in g
)
_PHONETIC: dict[str, tuple[str, ...]] = {}
for _grp in _PHONETIC_GROUPS:
    for _n in _grp:
        _PHONETIC[_n] = tuple(x for x in _grp if x != _n)

_PARTICLES = frozenset("DE LA DEL LOS LAS DELA DELOS VAN DER DI DA DOS ST. SAN TER AL EL ABU".split())

# --------------------------------------------------------------------------------------
# Places
# --------------------------------------------------------------------------------------

_CA_CITIES = _names("""LOS ANGELES, SAN DIEGO, SAN JOSE, FRESNO, SACRAMENTO, LONG BEACH, OAKLAND,
BAKERSFIELD, ANAHEIM, SANTA ANA, RIVERSIDE, STOCKTON, SAN FRANCISCO, IRVINE, CHULA VISTA, FREMONT,
SAN BERNARDINO, MODESTO, FONTANA, OXNARD, MORENO VALLEY, GLENDALE, HUNTINGTON BEACH, SANTA CLARITA,
GARDEN GROVE, SANTA ROSA, OCEANSIDE, RANCHO CUCAMONGA, ONTARIO, LANCASTER, ELK GROVE, PALMDALE,
CORONA, SALINAS, POMONA, TORRANCE, HAYWARD, ESCONDIDO, SUNNYVALE, PASADENA, FULLERTON, ORANGE,
VISALIA, EL MONTE, DOWNEY, INGLEWOOD, COMPTON, SANTA MARIA, MERCED, WATSONVILLE, SAN FERNANDO,
NORWALK, WEST COVINA, EL CENTRO, INDIO, SAN LUIS OBISPO, REDDING, CHICO, EUREKA, NAPA, VALLEJO,
RICHMOND, CONCORD, ANTIOCH, DELANO, HANFORD, MADERA, PORTERVILLE, LODI, TRACY, GILROY""")
_US_STATES_W = (
    ("US-TX", 20, "HOUSTON, DALLAS, SAN ANTONIO, EL PASO, AUSTIN"), ("US-NV", 12, "LAS VEGAS, RENO"),
    ("US-AZ", 12, "PHOENIX, TUCSON, YUMA"), ("US-WA", 8, "SEATTLE, SPOKANE, TACOMA"),
    ("US-OR", 6, "PORTLAND, SALEM"), ("US-NY", 8, "NEW YORK, BROOKLYN, BRONX"), ("US-FL", 6, "MIAMI, ORLANDO"),
    ("US-IL", 6, "CHICAGO"), ("US-NM", 3, "ALBUQUERQUE"), ("US-UT", 3, "SALT LAKE CITY"),
    ("US-CO", 3, "DENVER"), ("US-GA", 3, "ATLANTA"), ("US-HI", 3, "HONOLULU"), ("US-NJ", 2, "NEWARK"),
    ("US-MI", 2, "DETROIT"), ("US-OH", 2, "COLUMBUS"), ("US-PA", 2, "PHILADELPHIA"), ("US-MA", 2, "BOSTON"),
    ("US-VA", 2, "RICHMOND"), ("US-NC", 2, "CHARLOTTE"), ("US-OK", 1, "OKLAHOMA CITY"), ("US-ID", 1, "BOISE"),
    ("US-TN", 1, "NASHVILLE"), ("US-MN", 1, "MINNEAPOLIS"), ("US-AK", 1, "ANCHORAGE"),
)
_MX_STATES_W = (
    ("MX-JAL", 18, "GUADALAJARA"), ("MX-MIC", 16, "MORELIA, URUAPAN"), ("MX-GUA", 9, "LEÓN, CELAYA"),
    ("MX-OAX", 8, "OAXACA"), ("MX-BCN", 8, "TIJUANA, MEXICALI"), ("MX-SIN", 5, "CULIACÁN"),
    ("MX-SON", 5, "HERMOSILLO"), ("MX-ZAC", 5, "ZACATECAS"), ("MX-GRO", 5, "ACAPULCO"), ("MX-PUE", 4, "PUEBLA"),
    ("MX-CMX", 4, "CIUDAD DE MÉXICO"), ("MX-DIF", 2, "MEXICO"), ("MX-CHH", 3, "CIUDAD JUAREZ, CHIHUAHUA"),
    ("MX-NAY", 3, "TEPIC"), ("MX-COL", 2, "COLIMA"), ("MX-MEX", 3, "TOLUCA"), ("MX-VER", 2, "VERACRUZ"),
    ("MX-DUR", 2, "DURANGO"), ("MX-NLE", 2, "MONTERREY"), ("MX-SLP", 2, "SAN LUIS POTOSI"),
    ("MX-HID", 1, "PACHUCA"), ("MX-AGU", 1, "AGUASCALIENTES"), ("MX-QUE", 1, "QUERETARO"),
    ("MX-MOR", 1, "CUERNAVACA"), ("MX-CHP", 1, "TUXTLA GUTIERREZ"), ("MX-TAM", 1, "REYNOSA"),
    ("MX-BCS", 1, "LA PAZ"), ("MX-COA", 1, "TORREON"), ("MX-YUC", 1, "MERIDA"),
)
_COUNTRY_CITIES: dict[str, tuple[str, ...]] = {
    k: _names(v)
    for k, v in {
        "SV": "SAN SALVADOR, SANTA ANA, SAN MIGUEL", "GT": "GUATEMALA, QUETZALTENANGO, ESCUINTLA",
        "HN": "TEGUCIGALPA, SAN PEDRO SULA", "NI": "MANAGUA", "PE": "LIMA", "CO": "BOGOTA, MEDELLIN",
        "VN": "HO CHI MINH CITY, HANOI, DA NANG", "PH": "MANILA, QUEZON CITY, CEBU CITY, PAMPANGA",
        "CN": "SHANGHAI, BEIJING, GUANGZHOU, SHENZHEN", "TW": "TAIPEI", "HK": "HONG KONG",
        "KR": "SEOUL, BUSAN, INCHEON", "IN": "MUMBAI, DELHI, HYDERABAD, BANGALORE, CHENNAI, JALANDHAR",
        "AM": "YEREVAN, GYUMRI", "IR": "TEHRAN", "LB": "BEIRUT", "SY": "DAMASCUS, ALEPPO", "IQ": "BAGHDAD",
        "YE": "SANAA", "EG": "CAIRO", "AF": "KABUL", "JO": "AMMAN", "PK": "LAHORE, KARACHI",
        "JP": "TOKYO, OSAKA", "RU": "MOSCOW", "UA": "KYIV", "GB": "LONDON", "DE": "BERLIN",
        "NG": "LAGOS", "ET": "ADDIS ABABA", "ER": "ASMARA",
        "JM": "KINGSTON", "HT": "PORT-AU-PRINCE", "IL": "TEL AVIV", "GU": "HAGATNA", "PR": "SAN JUAN",
    }.items()
}
_CANADA_PROVINCES = (("CA-ON", "TORONTO"), ("CA-BC", "VANCOUVER"), ("CA-QC", "MONTREAL"), ("CA-AB", "CALGARY"))

# --------------------------------------------------------------------------------------
# Population groups
# --------------------------------------------------------------------------------------

# Style -> (male pool, female pool, zipf offset). Ranked pools; weight 1/(rank+offset).
_STYLES: dict[str, tuple[str, str, float]] = {
    "EN": (_EN_M, _EN_F, 8.0), "ES": (_ES_M, _ES_F, 8.0), "BLK": (_BLK_M, _BLK_F, 4.0),
    "VI": (_VI_M, _VI_F, 4.0), "ZH": (_ZH_M, _ZH_F, 4.0), "KO": (_KO_M, _KO_F, 4.0),
    "FIL": (_FIL_M, _FIL_F, 4.0), "IN": (_IN_M, _IN_F, 4.0), "HY": (_HY_M, _HY_F, 4.0),
    "AR": (_AR_M, _AR_F, 4.0), "JA": (_JA_M, _JA_F, 4.0),
}
# Surname pool -> (names, zipf offset, zipf exponent).
_SURNAMES: dict[str, tuple[str, float, float]] = {
    "HISP": (_ES_LAST, 6.0, 1.0), "WHITE": (_EN_LAST, 15.0, 1.0), "BLACK": (_BLK_LAST, 6.0, 1.0),
    "VI": (_VI_LAST, 1.3, 1.5), "ZH": (_ZH_LAST, 3.0, 1.0), "KO": (_KO_LAST, 1.0, 1.2),
    "FIL": (_FIL_LAST, 4.0, 1.0), "IN": (_IN_LAST, 1.5, 1.0), "HY": (_HY_LAST, 4.0, 1.0),
    "AR": (_AR_LAST, 3.0, 1.0), "JA": (_JA_LAST, 3.0, 1.0),
}


@dataclass(frozen=True)
class _Group:
    key: str
    weight: float
    first_styles: tuple[tuple[str, float], ...]
    middle_prob: float
    middle_styles: tuple[tuple[str, float], ...]
    immigrant: float
    origins: tuple[tuple[str, float], ...]


_GROUPS: tuple[_Group, ...] = (
    _Group("HISP", 0.540, (("ES", 0.72), ("EN", 0.28)), 0.50, (("ES", 0.6), ("EN", 0.4)), 0.28,
           (("MX", 0.80), ("SV", 0.08), ("GT", 0.07), ("HN", 0.03), ("NI", 0.01), ("PE", 0.005), ("CO", 0.005))),
    _Group("WHITE", 0.218, (("EN", 1.0),), 0.85, (("EN", 1.0),), 0.06,
           (("RU", 0.2), ("UA", 0.2), ("GB", 0.15), ("CA", 0.15), ("DE", 0.1), ("IR", 0.1), ("IL", 0.1))),
    _Group("BLACK", 0.050, (("EN", 0.55), ("BLK", 0.45)), 0.70, (("EN", 0.7), ("BLK", 0.3)), 0.06,
           (("NG", 0.3), ("ET", 0.3), ("ER", 0.1), ("JM", 0.15), ("HT", 0.15))),
    _Group("VI", 0.025, (("EN", 0.55), ("VI", 0.45)), 0.60, (("VI", 1.0),), 0.30, (("VN", 1.0),)),
    _Group("ZH", 0.035, (("EN", 0.70), ("ZH", 0.30)), 0.45, (("ZH", 1.0),), 0.40,
           (("CN", 0.7), ("TW", 0.15), ("HK", 0.15))),
    _Group("KO", 0.012, (("EN", 0.50), ("KO", 0.50)), 0.30, (("KO", 1.0),), 0.40, (("KR", 1.0),)),
    _Group("FIL", 0.025, (("EN", 0.55), ("FIL", 0.30), ("ES", 0.15)), 0.60, (("FIL", 1.0),), 0.35,
           (("PH", 0.97), ("GU", 0.03))),
    _Group("IN", 0.022, (("IN", 0.75), ("EN", 0.25)), 0.35, (("IN", 1.0),), 0.50, (("IN", 0.9), ("PK", 0.1))),
    _Group("HY", 0.012, (("HY", 0.70), ("EN", 0.30)), 0.30, (("HY", 1.0),), 0.40,
           (("AM", 0.6), ("IR", 0.2), ("LB", 0.1), ("SY", 0.05), ("RU", 0.05))),
    _Group("AR", 0.012, (("AR", 0.80), ("EN", 0.20)), 0.40, (("AR", 1.0),), 0.55,
           (("IQ", 0.2), ("SY", 0.15), ("YE", 0.15), ("EG", 0.1), ("LB", 0.1), ("AF", 0.2), ("JO", 0.1))),
    _Group("JA", 0.006, (("EN", 0.60), ("JA", 0.40)), 0.40, (("JA", 1.0),), 0.30, (("JP", 1.0),)),
    _Group("MIXED", 0.043, (("EN", 0.60), ("ES", 0.30), ("VI", 0.03), ("KO", 0.03), ("ZH", 0.04)), 0.60,
           (("EN", 0.6), ("ES", 0.4)), 0.08,
           (("MX", 0.3), ("PH", 0.2), ("GB", 0.2), ("KR", 0.1), ("VN", 0.1), ("CA", 0.1))),
)
_GROUP_BY_KEY = {g.key: g for g in _GROUPS}
_MIXED_SURNAMES = (("HISP", 0.45), ("WHITE", 0.30), ("BLACK", 0.05), ("FIL", 0.05), ("VI", 0.05),
                   ("ZH", 0.05), ("KO", 0.05))

_GRADE = {-1: "TK", 0: "KN", **{g: f"{g:02d}" for g in range(1, 13)}}
_EXTRACT_DATE = dt.date(2026, 6, 20)  # when the registry snapshot was taken (end of 2025-26)
_LATEST_BIRTH = dt.date(2022, 9, 1)  # youngest TK child of 2026-27
_LEA_COUNT = 1000
_SCHOOL_TOTAL = 10000

# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------

_DATE_BASE = dt.date(2000, 1, 1).toordinal()


@lru_cache(maxsize=1)
def _date_strings() -> tuple[str, ...]:
    end = dt.date(2028, 12, 31).toordinal()
    return tuple(dt.date.fromordinal(o).strftime("%Y%m%d") for o in range(_DATE_BASE, end + 1))


def _ord(y: int, m: int, d: int) -> int:
    return dt.date(y, m, d).toordinal()


def _zipf_cum(n: int, offset: float, exponent: float = 1.0) -> list[float]:
    return list(accumulate(1.0 / (r + offset) ** exponent for r in range(n)))


def _stream(rng: random.Random, cum: Sequence[float], batch: int = 2048) -> Iterator[int]:
    """Indexes drawn with the given cumulative weights, in batches (fast, deterministic)."""
    idx = range(len(cum))
    choices = rng.choices
    while True:
        yield from choices(idx, cum_weights=cum, k=batch)


def _weighted_stream(rng: random.Random, items: Sequence[tuple[_T, float]], batch: int = 512) -> Iterator[_T]:
    values = [v for v, _ in items]
    cum = list(accumulate(w for _, w in items))
    choices = rng.choices
    while True:
        yield from choices(values, cum_weights=cum, k=batch)


class _Pool:
    """A ranked name pool with a Zipf-like skew and a buffered sampler."""

    __slots__ = ("names", "draw")

    def __init__(self, rng: random.Random, names: tuple[str, ...], offset: float, exponent: float = 1.0):
        self.names = names
        it = _stream(rng, _zipf_cum(len(names), offset, exponent))
        self.draw: Callable[[], int] = it.__next__


@dataclass(frozen=True)
class SyntheticFiles:
    """The three files `generate` writes."""

    registry: Path  # ODS extract, docs/file-formats.md section 2
    senr: Path  # SENR upload: 35 fields, CRLF, SSID blank
    truth: Path  # CSV: local_id,true_ssid,variation


# A student as the population generator makes them (registry or new).
@dataclass(slots=True)
class _Student:
    first: str
    middle: str
    last: str
    suffix: str
    dob: int  # ordinal
    gender: str
    city: str
    state: str
    country: str
    group: str
    style: str
    first_rank: int
    last_rank: int
    pat: str  # paternal surname as written
    mat: str  # maternal surname as written ("" if unknown)
    two_part: bool
    household: int
    # registry-only
    ssid: str = ""
    create: str = ""
    lea: str = ""
    school: str = ""
    grade: str = ""
    start: str = ""
    exit: str = ""
    alias: tuple[str, str, str] = ("", "", "")  # alias first/middle/last on the alias line
    others: tuple[tuple[str, str, str], ...] = ()  # alias or older legal names (first, middle, last)


class _Population:
    """Households of California students, drawn from one random.Random."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.dates = _date_strings()
        self.first: dict[tuple[str, str], _Pool] = {}
        for style, (m, f, off) in _STYLES.items():
            self.first[(style, "M")] = _Pool(rng, _names(m), off)
            self.first[(style, "F")] = _Pool(rng, _names(f), off)
        self.last = {k: _Pool(rng, _names(v), off, ex) for k, (v, off, ex) in _SURNAMES.items()}
        self.group_draw = _weighted_stream(rng, [(g, g.weight) for g in _GROUPS]).__next__
        self.mixed_sur = _weighted_stream(rng, _MIXED_SURNAMES).__next__
        self.style_draw = {g.key: _weighted_stream(rng, g.first_styles).__next__ for g in _GROUPS}
        self.mid_style_draw = {g.key: _weighted_stream(rng, g.middle_styles).__next__ for g in _GROUPS}
        self.origin_draw = {g.key: _weighted_stream(rng, g.origins).__next__ for g in _GROUPS}
        self.size_draw = _weighted_stream(rng, ((1, 50), (2, 32), (3, 13), (4, 4), (5, 1))).__next__
        self.us_state_draw = _weighted_stream(rng, [(s, w) for s, w, _ in _US_STATES_W]).__next__
        self.us_cities = {s: _names(c) for s, _, c in _US_STATES_W}
        self.mx_state_draw = _weighted_stream(rng, [(s, w) for s, w, _ in _MX_STATES_W]).__next__
        self.mx_cities = {s: _names(c) for s, _, c in _MX_STATES_W}
        self.ca_city = _Pool(rng, _CA_CITIES, 3.0)
        # Cohort = the year of the Sept 1 cutoff a child's school start follows: born
        # 2 Sept (c-1) .. 1 Sept c. In 2025-26, cohort 2020 is in kindergarten.
        self.cohorts: dict[int, tuple[int, int]] = {}
        for c in range(2005, 2024):
            lo, hi = _ord(c - 1, 9, 2), _ord(c, 9, 1)
            self.cohorts[c] = (lo, hi - lo + 1)
        reg_w = [(2007, 0.1)] + [(c, 1.2 - 0.2 * (c - 2008) / 12) for c in range(2008, 2021)] + [(2021, 0.7)]
        self.registry_cohort = _weighted_stream(rng, reg_w).__next__
        self.min_dob = _ord(2006, 9, 2)
        self.max_reg_dob = _ord(2021, 9, 1)
        self.max_dob = _LATEST_BIRTH.toordinal()
        self._build_leas()
        self.household_no = 0
        self.last_arrival = 0  # arrival date (ordinal) of the last household, 0 if not immigrant

    # -- districts and schools ------------------------------------------------------
    def _build_leas(self) -> None:
        rng = self.rng
        codes: set[str] = set()
        school_codes: set[str] = set()
        weights = [1.0 / (i + 2) for i in range(_LEA_COUNT)]
        total = sum(weights)
        self.leas: list[tuple[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]]] = []
        for w in weights:
            while True:
                code = f"{rng.randint(1, 58):02d}{rng.randint(10000, 77999):05d}"
                if code not in codes:
                    codes.add(code)
                    break
            n = max(1, round(_SCHOOL_TOTAL * w / total))
            schools = []
            for _ in range(n):
                while True:
                    s = f"{rng.randint(100000, 6999999):07d}"
                    if s not in school_codes and s not in codes:
                        school_codes.add(s)
                        schools.append(s)
                        break
            if n >= 3:
                ne = max(1, round(n * 0.6))
                nm = max(1, round(n * 0.2))
                bands = (tuple(schools[:ne]), tuple(schools[ne:ne + nm]), tuple(schools[ne + nm:]))
                if not all(bands):
                    bands = (tuple(schools),) * 3
            else:
                bands = (tuple(schools),) * 3
            self.leas.append((code, bands))
        self.lea_draw = _stream(rng, list(accumulate(weights))).__next__

    # -- names ----------------------------------------------------------------------
    def given(self, style: str, gender: str) -> tuple[str, int]:
        if gender == "X":
            gender = "M" if self.rng.random() < 0.5 else "F"
        pool = self.first[(style, gender)]
        i = pool.draw()
        return pool.names[i], i

    def middle_for(self, g: _Group, gender: str, first: str) -> str:
        rng = self.rng
        if rng.random() >= g.middle_prob:
            return ""
        if g.key == "FIL":  # Filipino middle name: the mother's maiden surname
            pool = self.last["FIL"]
            return pool.names[pool.draw()]
        if g.key == "VI" and rng.random() < 0.4:
            return "VAN" if gender == "M" else "THI" if gender == "F" else "MINH"
        for _ in range(4):
            m, _i = self.given(self.mid_style_draw[g.key](), gender)
            if m != first and " " not in m:
                return m
        return ""

    def surname(self, key: str) -> tuple[str, int]:
        pool = self.last[key]
        i = pool.draw()
        return pool.names[i], i

    # -- places ---------------------------------------------------------------------
    def foreign_place(self, country: str) -> tuple[str, str]:
        """(city, state) for a birth abroad."""
        rng = self.rng
        state = ""
        if country == "MX":
            state = self.mx_state_draw()
            cities = self.mx_cities[state]
            if rng.random() < 0.25:
                state = ""
        elif country == "CA":
            state, city = rng.choice(_CANADA_PROVINCES)
            cities = (city,)
        elif country in ("GU", "PR"):
            state = "US-" + country
            cities = _COUNTRY_CITIES[country]
        else:
            cities = _COUNTRY_CITIES.get(country, ())
        city = rng.choice(cities) if cities and rng.random() < 0.7 else ""
        return city, state

    def us_place(self, state: str) -> tuple[str, str]:
        rng = self.rng
        r = rng.random()
        if state == "US-CA":
            city = self.ca_city.names[self.ca_city.draw()] if r < 0.75 else ""
        else:
            city = rng.choice(self.us_cities[state]) if r < 0.7 else ""
        if rng.random() < 0.04:
            state = ""
        return city, state

    # -- households -----------------------------------------------------------------
    def household(self, size: int | None = None, cohort: int | None = None) -> list[_Student]:
        """One family's children (siblings, sometimes twins), registry-shaped."""
        rng = self.rng
        rand = rng.random
        self.household_no += 1
        hh = self.household_no
        g: _Group = self.group_draw()
        sur_key = g.key if g.key != "MIXED" else self.mixed_sur()
        pat, pat_rank = self.surname(sur_key)
        mat = ""
        two_part = False
        last = pat
        if sur_key == "HISP":
            for _ in range(4):
                mat, _r = self.surname("HISP")
                if mat != pat:
                    break
            r = rand()
            if r < 0.24:
                last, two_part = f"{pat} {mat}", True
            elif r < 0.29:
                last, two_part = f"{pat}-{mat}", True
            elif r < 0.34:
                last, pat, mat, pat_rank = mat, mat, pat, 999
        accented = sur_key == "HISP" and rand() < 0.14
        if accented:
            last, pat, mat = _accent(last), _accent(pat), _accent(mat)
        immigrant = rand() < g.immigrant
        origin = self.origin_draw[g.key]() if immigrant else "US"
        arrival = _ord(rng.randint(2006, 2024), rng.randint(1, 12), 1) if immigrant else 0
        r = rand()
        if g.key == "HISP" and r < 0.005:
            home = "PR"
        elif g.key == "FIL" and r < 0.01:
            home = "GU"
        else:
            home = "US-CA" if r < 0.88 else self.us_state_draw()
        n = size or self.size_draw()
        c = cohort or self.registry_cohort()
        lo, span = self.cohorts[c]
        dob = lo + int(rand() * span)
        step = 1 if rand() < 0.5 else -1
        dobs = [dob]
        while len(dobs) < n:
            nxt = dobs[-1] + step * rng.randint(420, 1460)
            if not (self.min_dob <= nxt <= self.max_reg_dob):
                break  # the next sibling is out of school age: a smaller family in school
            dobs.append(nxt)
        kids: list[_Student] = []
        firsts: set[str] = set()
        for dob in dobs:
            twins = 2 if rand() < 0.016 else 1
            twin_gender = ""
            twin_initial = ""
            for t in range(twins):
                if t and rand() < 0.65:
                    gender = twin_gender
                else:
                    r = rand()
                    gender = "M" if r < 0.508 else "F" if r < 0.995 else "X"
                style = self.style_draw[g.key]()
                first, rank = self.given(style, gender)
                for _ in range(20):
                    if first not in firsts and (not twin_initial or first[0] == twin_initial or rand() < 0.7):
                        break
                    first, rank = self.given(style, gender)
                firsts.add(first)
                if t == 0:
                    twin_gender, twin_initial = gender, first[0]
                middle = self.middle_for(g, gender, first)
                if accented:
                    first, middle = _accent(first), _accent(middle)
                suffix = ""
                if gender == "M" and g.key in ("WHITE", "BLACK") and rand() < 0.02:
                    suffix = rng.choice(("JR", "JR", "JR.", "II", "III"))
                if rand() < 0.007:
                    country, city, state = "UU", "", ""
                elif immigrant and dob < arrival:
                    country = origin
                    city, state = self.foreign_place(origin)
                elif home in ("PR", "GU"):
                    country, state = home, "US-" + home
                    city = _COUNTRY_CITIES[home][0] if rand() < 0.6 else ""
                else:
                    country = "US"
                    city, state = self.us_place(home)
                kids.append(_Student(first, middle, last, suffix, dob, gender, city, state, country, g.key, style,
                                     rank, pat_rank, pat, mat, two_part, hh))
        self.last_arrival = arrival
        return kids

    # -- registry fields ------------------------------------------------------------
    def enrol(self, s: _Student, lea_i: int, school_pick: int, arrival: int) -> None:
        """Fill the most recent enrollment (2025-26) and the SSID create date."""
        rng = self.rng
        rand = rng.random
        ds = self.dates[s.dob - _DATE_BASE]
        c = int(ds[:4]) + (ds[4:] > "0901")
        g = 2020 - c
        if g >= 1 and rand() < 0.03:
            g -= 1  # retained a year
        code, bands = self.leas[lea_i]
        band = bands[0] if g <= 5 else bands[1] if g <= 8 else bands[2]
        s.lea = code
        s.school = band[school_pick % len(band)]
        s.grade = _GRADE[min(g, 12)]
        if rand() < 0.8:
            start = _ord(2025, 8, rng.randint(11, 20))
        else:
            start = _ord(2025, 8, 21) + rng.randrange(267)
        s.start = self.dates[start - _DATE_BASE]
        if g >= 12:
            s.exit = self.dates[_ord(2026, 6, rng.randint(4, 11)) - _DATE_BASE] if rand() < 0.9 else ""
        elif rand() < 0.03:
            s.exit = self.dates[min(start + 10 + rng.randrange(200), _EXTRACT_DATE.toordinal()) - _DATE_BASE]
        else:
            s.exit = ""
        if g <= -1:
            create = start
        else:
            r = rand()
            kn = _ord(c + 5, 8, rng.randint(10, 25))
            if r < 0.65:
                create = kn
            elif r < 0.80 and c + 4 >= 2015:
                create = _ord(c + 4, 8, rng.randint(10, 25))
            else:
                create = kn + int(rand() * max(1, start - kn))
        if arrival and create < arrival:
            create = arrival + rng.randrange(1, 120)
        create = max(min(create, start), s.dob + 1)
        s.create = self.dates[create - _DATE_BASE]

    def other_names(self, s: _Student) -> None:
        """Give a student an alias line or an older legal name (about 10% of SSIDs)."""
        rng = self.rng
        rand = rng.random
        g = _GROUP_BY_KEY[s.group]
        if rand() < 0.5:  # alias
            af, am, al = "", "", ""
            plain = _plain(s.first)
            if s.style not in ("EN", "ES") and rand() < 0.7:
                af = self.given("EN", s.gender)[0]
            elif plain in _NICK_EN and rand() < 0.5:
                af = rng.choice(_NICK_EN[plain])
            elif plain in _NICK_ES and rand() < 0.6:
                af = rng.choice(_NICK_ES[plain])
            if not af or rand() < 0.3:
                if s.mat and rand() < 0.7:
                    al = s.mat
                else:
                    al = self.surname(s.group if s.group in self.last else "WHITE")[0]
                    if al == s.last:
                        al = ""
            if not af and not al:
                af = self.given(s.style, s.gender)[0]
            if af == s.first:
                af = ""
                al = al or self.surname("WHITE")[0]
            s.alias = (af, am, al)
            s.others = ((af or s.first, am or (s.middle if af == "" else ""), al or s.last),)
            return
        # An older legal name.
        r = rand()
        if r < 0.5:
            key = s.group if s.group in self.last else "WHITE"
            for _ in range(5):
                old_last = self.surname(key)[0]
                if old_last != s.last:
                    break
            if s.two_part and rand() < 0.5:
                old_last = s.pat
            old = (s.first, s.middle, old_last)
        elif r < 0.75:
            style = "EN" if s.style != "EN" else (g.first_styles[-1][0] if len(g.first_styles) > 1 else "ES")
            old_first = self.given(style, s.gender)[0]
            if old_first == s.first:
                old_first = self.given(style, s.gender)[0]
            old = (old_first, s.middle, s.last)
        else:
            old_last = s.mat if s.mat and s.mat != s.last else self.surname("HISP" if s.group == "HISP" else "WHITE")[0]
            old = (s.first, s.middle, old_last)
        if old != (s.first, s.middle, s.last):
            s.others = (old,)


def _registry_line(s: _Student, first: str, middle: str, last: str, alias: tuple[str, str, str], dates: tuple[str, ...]) -> str:
    return "^".join((
        s.ssid, s.create, first, middle, last, s.suffix, alias[0], alias[1], alias[2],
        dates[s.dob - _DATE_BASE], s.gender, s.city, s.state, s.country,
        s.lea, s.school, s.grade, s.start, s.exit,
    )) + "\n"


def _write_registry(pop: _Population, path: Path, registry_size: int, keep_share: float) -> list[_Student]:
    """Stream the registry to `path`; return the students of the households kept for the upload."""
    rng = pop.rng
    rand = rng.random
    dates = pop.dates
    ssids = rng.sample(range(10**10), registry_size)
    kept: list[_Student] = []
    buf: list[str] = []
    written = 0
    no_alias = ("", "", "")
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        while written < registry_size:
            kids = pop.household()
            arrival = pop.last_arrival
            lea_i = pop.lea_draw()
            school_pick = rng.randrange(1 << 30)
            keep = rand() < keep_share
            for s in kids:
                if written >= registry_size:
                    break
                s.ssid = f"{ssids[written]:010d}"
                written += 1
                pop.enrol(s, lea_i, school_pick, arrival)
                buf.append(_registry_line(s, s.first, s.middle, s.last, no_alias, dates))
                if rand() < 0.10:
                    pop.other_names(s)
                    if s.alias != no_alias:
                        buf.append(_registry_line(s, s.first, s.middle, s.last, s.alias, dates))
                    else:
                        for first, middle, last in s.others:
                            buf.append(_registry_line(s, first, middle, last, no_alias, dates))
                if keep:
                    kept.append(s)
            if len(buf) >= 50000:
                rng.shuffle(buf)
                fh.write("".join(buf))
                buf.clear()
        rng.shuffle(buf)
        fh.write("".join(buf))
    return kept


# --------------------------------------------------------------------------------------
# Variations: each takes (rng, upload record, registry student) and changes the record.
# They return False when they do not apply to this student.
# --------------------------------------------------------------------------------------

_KEYBOARD = {
    c: n for c, n in zip(
        "QWERTYUIOPASDFGHJKLZXCVBNM",
        "WA EQS RWD TEF YRG UTH IYJ OUK PIL OL QWSZ AEDX SFRC DGTV FHYB GJUN HKIM JLO KP ZSAX XDC CVF VBG BNH NMJ MK"
        .split(" "),
    )
}
_NAME_OK = re.compile(r"[A-Za-z0-9À-ÖØ-öø-ÿ.\-'/ ]*")
_LIMITS = {k: FIELD_BY_KEY[k].max_len for k in ("first", "middle", "last", "suffix", "alias_first", "alias_middle",
                                                 "alias_last")}


def _typo(rng: random.Random, name: str) -> str | None:
    letters = [i for i, ch in enumerate(name) if "A" <= ch <= "Z"]
    if len(letters) < 3:
        return None
    for _ in range(10):
        op = rng.random()
        i = rng.choice(letters)
        if op < 0.3:
            out = name[:i] + name[i + 1:]
        elif op < 0.5:
            out = name[:i] + name[i] + name[i:]
        elif op < 0.75:
            if i + 1 >= len(name) or not ("A" <= name[i + 1] <= "Z"):
                continue
            out = name[:i] + name[i + 1] + name[i] + name[i + 2:]
        else:
            out = name[:i] + rng.choice(_KEYBOARD[name[i]]) + name[i + 1:]
        if out != name and len(out.replace(" ", "")) >= 2 and not out.startswith((" ", "-")):
            return out
    return None


def _v_typo(rng: random.Random, u: dict[str, str], s: _Student) -> bool:
    fields = ["first", "last"] if rng.random() < 0.45 else ["last", "first"]
    for f in fields:
        out = _typo(rng, u[f])
        if out:
            u[f] = out
            return True
    return False


def _accent_options(u: dict[str, str], s: _Student) -> list[str]:
    opts = []
    names = (u["first"], u["middle"], u["last"])
    if any(_plain(n) != n for n in names):
        opts.append("strip")
    if (s.group == "HISP" or s.style == "ES") and any(_accent(n) != n for n in names):
        opts.append("add")
    if "'" in u["first"] + u["last"]:
        opts.append("apostrophe")
    if "-" in u["first"] or "-" in u["last"]:
        opts.append("hyphen")
    if " " in u["last"] and u["last"].split(" ")[0] not in _PARTICLES:
        opts.append("space")
    if "." in u["last"] or "." in u["suffix"]:
        opts.append("period")
    elif u["suffix"] in ("JR", "SR"):
        opts.append("addperiod")
    return opts


def _v_accent(rng: random.Random, u: dict[str, str], s: _Student) -> bool:
    opts = _accent_options(u, s)
    if not opts:
        return False
    op = rng.choice(opts)
    if op == "strip":
        for f in ("first", "middle", "last", "alias_first", "alias_middle", "alias_last"):
            u[f] = _plain(u[f])
    elif op == "add":
        for f in ("first", "middle", "last"):
            u[f] = _accent(u[f])
    elif op == "apostrophe":
        for f in ("first", "last"):
            u[f] = u[f].replace("'", "" if rng.random() < 0.7 else " ")
    elif op == "hyphen":
        f = "last" if "-" in u["last"] else "first"
        u[f] = u[f].replace("-", " " if rng.random() < 0.5 else "")
    elif op == "space":
        u["last"] = u["last"].replace(" ", "-", 1)
    elif op == "period":
        u["last"] = u["last"].replace(".", "")
        u["suffix"] = u["suffix"].replace(".", "")
    else:
        u["suffix"] += "."
    return True


def _v_nick(table: dict[str, tuple[str, ...]]) -> Callable[[random.Random, dict[str, str], _Student], bool]:
    def apply(rng: random.Random, u: dict[str, str], s: _Student) -> bool:
        nicks = table.get(_plain(u["first"]))
        if not nicks:
            return False
        u["first"] = rng.choice(nicks)
        return True

    return apply


def _phonetic_tokens(name: str) -> list[int]:
    parts = re.split(r"([ \-])", name)
    return [i for i, p in enumerate(parts) if _plain(p) in _PHONETIC]


def _v_phonetic(rng: random.Random, u: dict[str, str], s: _Student) -> bool:
    fields = [f for f in ("first", "last") if _phonetic_tokens(u[f])]
    if not fields:
        return False
    f = rng.choice(fields)
    parts = re.split(r"([ \-])", u[f])
    i = rng.choice(_phonetic_tokens(u[f]))
    parts[i] = rng.choice(_PHONETIC[_plain(parts[i])])
    u[f] = "".join(parts)
    return True


def _surname_part_ok(u: dict[str, str], s: _Student) -> bool:
    return bool(s.mat) and u["last"] == s.last and s.pat != s.mat


def _v_surname_part(rng: random.Random, u: dict[str, str], s: _Student) -> bool:
    if not _surname_part_ok(u, s):
        return False
    pat, mat = s.pat, s.mat
    r = rng.random()
    if s.two_part:
        if r < 0.45:
            u["last"] = pat
        elif r < 0.55:
            u["last"] = mat
        elif r < 0.75:
            u["last"] = f"{pat}-{mat}" if " " in s.last[len(pat):len(pat) + 1] else f"{pat} {mat}"
        else:
            u["last"] = (pat + mat).replace(" ", "").replace("-", "")
    else:  # the school has both surnames, the registry only one
        u["last"] = f"{pat} {mat}" if r < 0.7 else f"{pat}-{mat}"
    return u["last"] != s.last


def _particle_ok(last: str) -> bool:
    toks = re.split(r"[ \-]", last)
    return len(toks) >= 2 and toks[0] in _PARTICLES


def _v_particle(rng: random.Random, u: dict[str, str], s: _Student) -> bool:
    last = u["last"]
    if not _particle_ok(last):
        return False
    toks = re.split(r"[ \-]", last)
    k = 0
    while k < len(toks) - 1 and toks[k] in _PARTICLES:
        k += 1
    particles, rest = toks[:k], toks[k:]
    opts = ["join_all", "drop"]
    if len(particles) >= 2:
        opts.append("join_particles")
    if particles[0] in ("DELA", "DELOS"):
        opts.append("split")
    if "-" in last:
        opts.append("space")
    if particles[0] == "ST.":
        opts.append("saint")
    op = rng.choice(opts)
    if op == "join_all":
        out = "".join(toks)
    elif op == "drop":
        out = " ".join(rest)
    elif op == "join_particles":
        out = "".join(particles) + " " + " ".join(rest)
    elif op == "split":
        out = " ".join(["DE", particles[0][2:]] + particles[1:] + rest)
    elif op == "space":
        out = last.replace("-", " ")
    else:
        out = "SAINT " + " ".join(rest)
    if out == last:
        return False
    u["last"] = out
    return True


def _v_swap(rng: random.Random, u: dict[str, str], s: _Student) -> bool:
    if len(u["last"]) > 30 or u["first"] == u["last"]:
        return False
    u["first"], u["last"] = u["last"], u["first"]
    return True


def _v_middle_first(rng: random.Random, u: dict[str, str], s: _Student) -> bool:
    m = u["middle"]
    if not m or m == u["first"]:
        return False
    u["middle"] = u["first"] if rng.random() < 0.4 else ""
    u["first"] = m
    return True


def _v_alias_legal(rng: random.Random, u: dict[str, str], s: _Student) -> bool:
    if not s.others:
        return False
    first, middle, last = rng.choice(s.others)
    if (first, last) == (u["first"], u["last"]):
        return False
    u["first"], u["middle"], u["last"] = first, middle, last
    u["alias_first"] = u["alias_middle"] = u["alias_last"] = ""
    return True


def _valid_dob(ds: str) -> bool:
    try:
        d = dt.date(int(ds[:4]), int(ds[4:6]), int(ds[6:]))
    except ValueError:
        return False
    return dt.date(2004, 1, 1) <= d <= _LATEST_BIRTH


def _v_day_month(rng: random.Random, u: dict[str, str], s: _Student) -> bool:
    ds = u["birth_date"]
    m, d = ds[4:6], ds[6:]
    if m == d or int(d) > 12:
        return False
    out = ds[:4] + d + m
    if not _valid_dob(out):
        return False
    u["birth_date"] = out
    return True


def _v_digit(rng: random.Random, u: dict[str, str], s: _Student) -> bool:
    ds = u["birth_date"]
    for _ in range(40):
        r = rng.random()
        pos = 3 if r < 0.15 else rng.choice((4, 5)) if r < 0.4 else rng.choice((6, 7))
        if pos == 3:  # a wrong last digit of the year: a near key, not a decade away
            digit = str((int(ds[3]) + rng.choice((-2, -1, 1, 2))) % 10)
        else:
            digit = rng.choice("0123456789".replace(ds[pos], ""))
        out = ds[:pos] + digit + ds[pos + 1:]
        if _valid_dob(out):
            u["birth_date"] = out
            return True
    return False


def _v_year(rng: random.Random, u: dict[str, str], s: _Student) -> bool:
    ds = u["birth_date"]
    for delta in ((1, -1) if rng.random() < 0.5 else (-1, 1)):
        out = f"{int(ds[:4]) + delta:04d}" + ds[4:]
        if _valid_dob(out):
            u["birth_date"] = out
            return True
    return False


def _v_missing(rng: random.Random, u: dict[str, str], s: _Student) -> bool:
    opts = [o for o, ok in (("middle", bool(u["middle"])), ("state", bool(u["birth_state"])),
                            ("country", u["birth_country"] != "UU")) if ok]
    if not opts:
        return False
    rng.shuffle(opts)
    for o in opts[: 2 if rng.random() < 0.2 else 1]:
        if o == "middle":
            u["middle"] = ""
        elif o == "state":
            u["birth_state"] = ""
        else:
            u["birth_country"], u["birth_state"], u["birth_city"] = "UU", "", ""
    return True


def _v_gender(rng: random.Random, u: dict[str, str], s: _Student) -> bool:
    g = u["gender"]
    u["gender"] = "X" if g in ("M", "F") else rng.choice("MF")
    return True


_VARIATIONS: dict[str, Callable[[random.Random, dict[str, str], _Student], bool]] = {
    "typo": _v_typo,
    "accent_punct": _v_accent,
    "nickname_en": _v_nick(_NICK_EN),
    "nickname_es": _v_nick(_NICK_ES),
    "phonetic": _v_phonetic,
    "surname_part": _v_surname_part,
    "particle": _v_particle,
    "swapped_names": _v_swap,
    "middle_as_first": _v_middle_first,
    "alias_as_legal": _v_alias_legal,
    "date_day_month": _v_day_month,
    "date_digit": _v_digit,
    "date_year": _v_year,
    "missing_optional": _v_missing,
    "gender_diff": _v_gender,
}


_NAME_KINDS = frozenset({"typo", "accent_punct", "nickname_en", "nickname_es", "phonetic", "surname_part",
                         "particle", "swapped_names", "middle_as_first"})


def _applicable(s: _Student) -> set[str]:
    """The single variations that can be applied to a registry student's own record."""
    kinds = {"exact", "typo", "date_digit", "missing_optional", "gender_diff"}
    u = _base_upload(s, with_alias=False)
    if _accent_options(u, s):
        kinds.add("accent_punct")
    p = _plain(s.first)
    if p in _NICK_EN:
        kinds.add("nickname_en")
    if p in _NICK_ES:
        kinds.add("nickname_es")
    if _phonetic_tokens(s.first) or _phonetic_tokens(s.last):
        kinds.add("phonetic")
    if _surname_part_ok(u, s):
        kinds.add("surname_part")
    if _particle_ok(s.last):
        kinds.add("particle")
    if len(s.last) <= 30:
        kinds.add("swapped_names")
    if s.middle and s.middle != s.first:
        kinds.add("middle_as_first")
    if s.others:
        kinds.add("alias_as_legal")
    ds = u["birth_date"]
    if ds[4:6] != ds[6:] and int(ds[6:]) <= 12:
        kinds.add("date_day_month")
    if ds[4:] != "0229":
        kinds.add("date_year")
    for a, b in MULTI_COMBOS:
        if a in kinds and b in kinds:
            kinds.add(f"{a}+{b}")
    return kinds


def _base_upload(s: _Student, with_alias: bool) -> dict[str, str]:
    dates = _date_strings()
    af, am, al = s.alias if with_alias else ("", "", "")
    return {
        "first": s.first, "middle": s.middle, "last": s.last, "suffix": s.suffix,
        "alias_first": af, "alias_middle": am, "alias_last": al,
        "birth_date": dates[s.dob - _DATE_BASE], "gender": s.gender, "birth_city": s.city,
        "birth_state": s.state, "birth_country": s.country,
    }


def _key(u: dict[str, str]) -> tuple[str, ...]:
    """The matching fields of an upload record (what a variation must change)."""
    return tuple(u[k] for k in ("first", "middle", "last", "suffix", "birth_date", "gender", "birth_state",
                                "birth_country"))


def _record_ok(u: dict[str, str]) -> bool:
    if not u["first"].strip() or not u["last"].strip():
        return False
    for f, n in _LIMITS.items():
        v = u[f]
        if len(v) > n or not _NAME_OK.fullmatch(v):
            return False
    return _valid_dob(u["birth_date"])


# --------------------------------------------------------------------------------------
# The upload
# --------------------------------------------------------------------------------------


def _counts(shares: dict[str, float], n: int) -> dict[str, int]:
    """Largest-remainder split of n by shares."""
    raw = {k: v * n for k, v in shares.items()}
    out = {k: int(v) for k, v in raw.items()}
    for k in sorted(raw, key=lambda k: raw[k] - out[k], reverse=True)[: n - sum(out.values())]:
        out[k] += 1
    return out


def _existing_records(rng: random.Random, kept: list[_Student], n: int) -> list[tuple[dict[str, str], _Student, str]]:
    """Pick n registry students and give each a labelled variation."""
    pool = [s for s in kept if s.grade != "12"]
    rng.shuffle(pool)
    kinds_of = [_applicable(s) for s in pool]
    twins: dict[int, list[int]] = {}
    by_hh: dict[tuple[int, int], list[int]] = {}
    for k, s in enumerate(pool):
        by_hh.setdefault((s.household, s.dob), []).append(k)
    for members in by_hh.values():
        if len(members) > 1:
            for k in members:
                twins[k] = [j for j in members if j != k]
    counts = _counts(VARIATION_SHARES, n)
    multi = counts.pop("multi")
    counts.update(_counts({f"{a}+{b}": 1.0 / len(MULTI_COMBOS) for a, b in MULTI_COMBOS}, multi))
    slots = [k for k, c in counts.items() for _ in range(c)]
    rng.shuffle(slots)
    used: set[int] = set()
    pointer: dict[str, int] = {}
    priority: list[int] = []
    out: list[tuple[dict[str, str], _Student, str]] = []

    def next_for(kind: str) -> int | None:
        for i in list(priority):
            if i not in used and kind in kinds_of[i]:
                priority.remove(i)
                return i
        p = pointer.get(kind, 0)
        while p < len(pool) and (p in used or kind not in kinds_of[p]):
            p += 1
        pointer[kind] = p + 1
        return p if p < len(pool) else None

    for kind in slots:
        for _attempt in range(50):
            i = next_for(kind)
            if i is None:
                kind = "exact"
                i = next_for(kind)
                if i is None:
                    raise ValueError("the registry is too small for this upload")
            s = pool[i]
            u = _base_upload(s, with_alias=s.alias != ("", "", "") and rng.random() < 0.4)
            if rng.random() < 0.35:
                u["birth_city"] = ""
            ok = all(_VARIATIONS[k](rng, u, s) for k in kind.split("+") if k != "exact")
            if ok and any(k in _NAME_KINDS for k in kind.split("+")):
                # a changed name must not land on one of the student's other registry names
                ok = (u["first"], u["last"]) not in {(first, last) for first, _middle, last in s.others}
            if ok and _record_ok(u) and (kind == "exact" or _key(u) != _key(_base_upload(s, False))):
                used.add(i)
                out.append((u, s, kind))
                for t in twins.get(i, []):
                    if t not in used and rng.random() < 0.5:
                        priority.append(t)
                break
            used.add(i)  # this student cannot take this variation: do not offer them again
        else:
            raise ValueError(f"could not make a {kind!r} variation")
    return out


def _new_records(rng: random.Random, pop: _Population, kept: list[_Student], in_upload: list[_Student],
                 n: int) -> list[tuple[dict[str, str], str]]:
    """Students who are not in the registry, some of them deliberately look-alike."""
    counts = _counts(NEW_SHARES, n)
    out: list[tuple[dict[str, str], str]] = []
    pool = [s for s in kept if s.grade != "12"] or kept
    common = [s for s in pool if s.first_rank < 10 and s.last_rank < 10] or pool
    dates = pop.dates

    def fresh_group_given(s: _Student, gender: str, avoid: str) -> str:
        for _ in range(30):
            first = pop.given(s.style, gender)[0]
            if _plain(first) != _plain(avoid):
                return _accent(first) if _plain(s.last) != s.last else first
        return "ALEXIS"

    for kind, c in counts.items():
        for _ in range(c):
            for _attempt in range(20):
                if kind == "new":
                    cohort = rng.choices((2022, 2021, 0), (0.30, 0.25, 0.45))[0] or rng.randint(2009, 2020)
                    s = pop.household(size=1, cohort=cohort)[0]
                    if cohort <= 2020:  # arrivals: often born out of state or abroad
                        r = rng.random()
                        g = _GROUP_BY_KEY[s.group]
                        if r < 0.45:
                            s.country = pop.origin_draw[g.key]()
                            s.city, s.state = pop.foreign_place(s.country)
                        elif r < 0.75:
                            st = pop.us_state_draw()
                            s.country = "US"
                            s.city, s.state = pop.us_place(st)
                    u = _base_upload(s, False)
                elif kind == "new_twin":
                    a = rng.choice(in_upload) if in_upload and rng.random() < 0.4 else rng.choice(pool)
                    gender = a.gender if rng.random() < 0.65 else ("F" if a.gender == "M" else "M")
                    u = _base_upload(a, False)
                    u["gender"] = gender
                    u["first"] = fresh_group_given(a, gender, a.first)
                    g = _GROUP_BY_KEY[a.group]
                    u["middle"] = pop.middle_for(g, gender, u["first"])
                elif kind == "new_sibling":
                    a = rng.choice(pool)
                    gender = "M" if rng.random() < 0.5 else "F"
                    u = _base_upload(a, False)
                    delta = rng.randint(420, 1460)
                    dob = a.dob + delta if a.dob + delta <= pop.max_dob else a.dob - delta
                    u["birth_date"] = dates[dob - _DATE_BASE]
                    u["gender"] = gender
                    u["first"] = fresh_group_given(a, gender, a.first)
                    g = _GROUP_BY_KEY[a.group]
                    u["middle"] = pop.middle_for(g, gender, u["first"])
                else:  # new_lookalike: a common name born close to a registry student's birth date
                    a = rng.choice(common)
                    u = _base_upload(a, False)
                    r = rng.random()
                    if r < 0.7:
                        dob = a.dob + rng.choice((-1, 1)) * rng.randint(1, 45)
                        u["birth_date"] = dates[dob - _DATE_BASE]
                    elif r < 0.8:
                        u["birth_date"] = f"{int(u['birth_date'][:4]) + rng.choice((-1, 1))}{u['birth_date'][4:]}"
                    else:
                        dob = a.dob + rng.choice((-1, 1)) * rng.randint(46, 365)
                        u["birth_date"] = dates[dob - _DATE_BASE]
                    g = _GROUP_BY_KEY[a.group]
                    u["middle"] = pop.middle_for(g, a.gender, a.first)
                    if rng.random() < 0.5:
                        home = "US-CA" if rng.random() < 0.85 else pop.us_state_draw()
                        u["birth_country"] = "US"
                        u["birth_city"], u["birth_state"] = pop.us_place(home)
                if rng.random() < 0.35:
                    u["birth_city"] = ""
                if _record_ok(u):
                    out.append((u, kind))
                    break
            else:
                raise ValueError(f"could not make a {kind!r} student")
    return out


def _senr_line(u: dict[str, str], local_id: str, lea: str, school: str, grade: str, start: str) -> str:
    f = [""] * 35
    f[0] = "SENR"
    f[3], f[4] = lea, school
    f[6] = "2026-2027"
    f[8] = local_id
    f[9], f[10], f[11], f[12] = u["first"], u["middle"], u["last"], u["suffix"]
    f[13], f[14], f[15] = u["alias_first"], u["alias_middle"], u["alias_last"]
    f[16], f[17], f[18], f[19], f[20] = (u["birth_date"], u["gender"], u["birth_city"], u["birth_state"],
                                         u["birth_country"])
    # 1.22-1.35 are carried through untouched by the tool; plausible values only.
    f[21] = start  # 1.22 Enrollment Start Date
    f[22] = "10"  # 1.23 Enrollment Status Code: primary enrollment
    f[23] = grade  # 1.24 Grade Level Code
    f[30] = lea  # 1.31 District of Geographic Residence
    return "^".join(f) + "\r\n"


def _upload_grade(ds: str) -> int:
    c = int(ds[:4]) + (ds[4:] > "0901")
    return max(-1, min(12, 2021 - c))


def generate(
    out_dir: Path, registry_size: int, upload_size: int, seed: int = 2026, new_share: float = 0.08
) -> SyntheticFiles:
    """Write a registry extract, a SENR upload and the truth file into `out_dir`.

    `registry_size` is the number of students (SSIDs); the extract has about 10% more
    lines (second name records). `upload_size` is the number of SENR records, of which
    `new_share` are students not in the registry.
    """
    if registry_size < 1 or upload_size < 0 or not 0.0 <= new_share <= 1.0:
        raise ValueError("registry_size must be >= 1, upload_size >= 0 and new_share in [0, 1]")
    n_new = round(upload_size * new_share)
    n_existing = upload_size - n_new
    if n_existing > registry_size * 0.8:
        raise ValueError(f"an upload of {n_existing} registry students needs a larger registry than {registry_size}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    pop = _Population(rng)
    files = SyntheticFiles(out_dir / REGISTRY_NAME, out_dir / SENR_NAME, out_dir / TRUTH_NAME)

    pool_target = 3 * n_existing + 4 * n_new + 200
    keep_share = min(1.0, pool_target / registry_size)
    kept = _write_registry(pop, files.registry, registry_size, keep_share)

    existing = _existing_records(rng, kept, n_existing)
    new = _new_records(rng, pop, kept, [s for _, s, _ in existing], n_new)

    rows: list[tuple[dict[str, str], str, str]] = [(u, s.ssid, label) for u, s, label in existing]
    rows += [(u, "", kind) for u, kind in new]
    rng.shuffle(rows)

    # The uploading district: a large LEA with schools in every band.
    lea_code, bands = next((lea for lea in pop.leas[3:] if len(lea[1][2]) >= 2), pop.leas[0])
    local_ids = rng.sample(range(100_000_000, 1_000_000_000), len(rows))
    dates = pop.dates
    with open(files.senr, "w", encoding="utf-8", newline="") as fh, \
            open(files.truth, "w", encoding="utf-8", newline="") as th:
        writer = csv.writer(th, lineterminator="\n")
        writer.writerow(["local_id", "true_ssid", "variation"])
        for (u, ssid, label), lid in zip(rows, local_ids):
            g = _upload_grade(u["birth_date"])
            band = bands[0] if g <= 5 else bands[1] if g <= 8 else bands[2]
            school = rng.choice(band)
            if rng.random() < 0.85:
                start = dates[_ord(2026, 8, rng.randint(12, 14)) - _DATE_BASE]
            else:
                start = dates[_ord(2026, 8, 15) + rng.randrange(100) - _DATE_BASE]
            fh.write(_senr_line(u, str(lid), lea_code, school, _GRADE[g], start))
            writer.writerow([str(lid), ssid, label])
    return files
