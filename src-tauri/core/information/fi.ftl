## Silta's information text in Finnish: what a person is told before they consent. See en.ftl
## for how to translate it and where an organisation puts its own languages.

version = 2026-1

# The organisation, when it has not set its name in Silta.
our-organisation = Järjestömme

title = Ennen kuin päätät
intro =
    Sinä päätät, mitä kertomillesi asioille tapahtuu. Lue tämä teksti tai pyydä, että se luetaan
    sinulle. Voit kysyä milloin tahansa, ja voit sanoa ei. Vaikka sanoisit ei, autamme sinua
    silti.

assistance-system-title = Ihmiskaupan uhrien auttamisjärjestelmä
assistance-system =
    Auttamisjärjestelmä on suomalainen viranomainen, joka auttaa ihmiskaupan uhreja. Sitä
    ylläpitää Joutsenon vastaanottokeskus, joka kuuluu Maahanmuuttovirastoon (Migri).
    Auttamisjärjestelmä toimii koko Suomessa. Apu on sinulle maksutonta.

    Tilanteesi mukaan auttamisjärjestelmä voi tarjota neuvontaa ja ohjausta, sosiaali- ja
    terveyspalveluja, kriisiapua ja psyykkistä tukea, tulkin, tarvittaessa turvallisen
    asuinpaikan, vastaanottorahaa tai toimeentulotukea, oikeudellista neuvontaa sekä apua, jos
    haluat palata turvallisesti kotimaahasi.

    Saat tätä apua, vaikka et tekisi rikosilmoitusta poliisille. Auttamisjärjestelmä ei ilmoita
    asiakkaistaan poliisille. Saat apua, vaikka sinulla ei olisi oikeutta oleskella Suomessa.
    Auttamisjärjestelmä neuvoo myös oleskeluoikeuteen liittyvissä asioissa.

    Jos annat suostumuksesi, pyydämme auttamisjärjestelmää ottamaan sinut asiakkaaksi. Tätä
    kutsutaan esitykseksi. Lähetämme nimesi ja muut tiedot, jotka itse valitset, sen, mitä olet
    kertonut meille, ja tiedon siitä, miten sinuun saa turvallisesti yhteyden.
    Auttamisjärjestelmä päättää, otetaanko sinut asiakkaaksi. Voit lopettaa asiakkuuden milloin
    tahansa.

police-report-title = Rikosilmoitus poliisille
police-report =
    Ihmiskauppa on rikos. Jos annat suostumuksesi, kerromme poliisille sen, mitä olet kertonut
    meille, tai autamme sinua tekemään rikosilmoituksen itse. Poliisi aloittaa silloin
    esitutkinnan ja voi pyytää sinua kertomaan asiasta kuulustelussa. Kun poliisi tietää
    rikoksesta, se voi jatkaa tutkintaa, vaikka muuttaisit myöhemmin mielesi. Sinut voidaan myös
    kutsua kertomaan asiasta oikeudessa.

    Sinulla on oikeus saada avuksesi lakimies (avustaja) esitutkinnassa ja oikeudenkäynnissä.
    Usein valtio maksaa avustajan. Autamme sinua hakemaan avustajaa. Voit saada myös
    tukihenkilön.

    Rikosilmoituksen tekeminen on sinun valintasi. Rikosilmoitus ei vaikuta siihen, saatko apua
    auttamisjärjestelmästä ja meiltä. Voit suostua esitykseen auttamisjärjestelmään ja
    kieltäytyä ilmoituksesta poliisille.

    Annamme poliisille vain ne tiedot, joiden antamiseen suostut. Terveystietojasi emme anna
    poliisille, ellet suostu siihen erikseen.

data-keeping-title = Miten säilytämme tietojasi
data-keeping =
    { $organisation } tallentaa kertomasi asiat ja tiedot saamastasi avusta. Ne tallennetaan
    salattuina tietokoneellemme, ja vain työntekijämme voivat avata ne.

    Säilytämme tietoja vain niin kauan kuin tarvitsemme niitä sinun auttamiseesi tai niin kauan
    kuin laki vaatii. Sen jälkeen ne poistetaan. Voit pyytää, että poistamme ne aiemmin. Jos
    perut suostumuksesi tietojen säilyttämiseen, käymme tiedot läpi ja poistamme ne, joita
    meidän ei ole pakko säilyttää.

    Emme anna tietojasi kenellekään ilman suostumustasi. Laki voi kuitenkin joskus velvoittaa
    meidät kertomaan asiasta. Jos olet alle 18-vuotias tai epäilemme, että lapsi on vaarassa,
    meidän on tehtävä lastensuojeluilmoitus ja joskus myös ilmoitus poliisille
    (lastensuojelulaki 25 §). Meidän on ilmoitettava poliisille myös, jos saamme tietää, että
    joku suunnittelee vakavaa rikosta. Jos niin käy, kerromme sen sinulle.

rights-title = Oikeutesi
rights =
    Voit sanoa ei. Voit suostua yhteen asiaan ja kieltäytyä toisesta: esimerkiksi suostua
    esitykseen auttamisjärjestelmään mutta kieltäytyä ilmoituksesta poliisille.

    Voit muuttaa mieltäsi. Voit perua suostumuksesi milloin tahansa, ja se on yhtä helppoa kuin
    suostumuksen antaminen: riittää, että kerrot sen kenelle tahansa meistä. Sitä, mikä on jo
    lähetetty, ei voi ottaa takaisin (esimerkiksi poliisi voi jatkaa tutkintaa), mutta sen
    jälkeen emme lähetä enää mitään.

    Voit pyytää saada nähdä tiedot, joita meillä on sinusta, ja pyytää meitä korjaamaan ne.

    Voit pyytää tulkkia. Tulkki ei maksa sinulle mitään. Voit kysyä milloin tahansa.

    Jos mielestäsi olemme käsitelleet tietojasi väärin, voit tehdä valituksen
    tietosuojavaltuutetulle.
