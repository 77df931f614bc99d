## Silta's information text in Finnish: what a person is told before they consent. See en.ftl
## for how to translate it and where an organisation puts its own languages.

version = 2026-1

our-organisation = Järjestömme

title = Ennen kuin päätät
intro =
    Sinä päätät, mitä kertomillesi asioille tapahtuu. Lue tämä teksti tai pyydä, että se luetaan
    sinulle. Voit kysyä milloin tahansa, ja voit sanoa ei. Vaikka sanot ei, autamme sinua silti.

assistance-system-title = Ihmiskaupan uhrien auttamisjärjestelmä
assistance-system =
    Auttamisjärjestelmä on suomalainen viranomainen, joka auttaa ihmiskaupan uhreja. Sitä
    ylläpitää Joutsenon vastaanottokeskus, ja se toimii koko Suomessa. Apu on maksutonta.

    Tilanteesi mukaan auttamisjärjestelmä voi tarjota neuvontaa ja ohjausta, sosiaali- ja
    terveyspalveluja, kriisiapua ja psyykkistä tukea, tulkin, turvallisen asumisen tarvittaessa,
    vastaanottorahaa tai toimeentulotukea, oikeusapua sekä apua, jos haluat palata turvallisesti
    kotimaahasi.

    Sinun ei tarvitse tehdä rikosilmoitusta poliisille saadaksesi tätä apua. Auttamisjärjestelmä
    ei ilmoita asiakkaitaan poliisille.

    Jos annat suostumuksesi, lähetämme auttamisjärjestelmään esityksen: nimesi ja muut
    valitsemasi tiedot, sen, mitä olet kertonut meille, ja tavan, jolla sinuun saa turvallisesti
    yhteyden. Auttamisjärjestelmä päättää, tuleeko sinusta sen asiakas. Voit lopettaa
    asiakkuuden milloin haluat.

police-report-title = Rikosilmoitus poliisille
police-report =
    Ihmiskauppa on rikos. Jos annat suostumuksesi, välitämme poliisille sen, mitä olet kertonut
    meille, tai autamme sinua tekemään rikosilmoituksen. Poliisi aloittaa silloin esitutkinnan
    ja voi pyytää sinua kertomaan asiasta kuulustelussa.

    Sinulla on oikeus avustajaan esitutkinnassa ja oikeudenkäynnissä. Valtio maksaa avustajan
    usein; autamme sinua hakemaan sitä.

    Rikosilmoituksen tekeminen on sinun valintasi. Saat apua auttamisjärjestelmästä ja meiltä,
    teetpä ilmoituksen tai et. Voit suostua esitykseen auttamisjärjestelmään ja kieltäytyä
    ilmoituksesta poliisille.

    Poliisi saa vain ne tiedot, joihin suostut. Terveystietojasi ei lähetetä poliisille, ellet
    suostu siihen erikseen.

data-keeping-title = Miten säilytämme tietojasi
data-keeping =
    { $organisation } tallentaa kertomasi asiat ja tiedot saamastasi avusta salattuina
    tietokoneellemme. Vain työntekijämme voivat avata ne.

    Säilytämme tietoja vain niin kauan kuin tarvitsemme niitä auttaaksemme sinua tai kuin laki
    vaatii. Sen jälkeen ne poistetaan. Voit pyytää, että poistamme ne aiemmin. Jos perut
    suostumuksesi tietojen säilyttämiseen, käymme tiedot läpi ja poistamme ne, joita meidän ei
    ole pakko säilyttää.

    Emme anna tietojasi kenellekään ilman suostumustasi, yhtä poikkeusta lukuun ottamatta: jos
    olet alle 18-vuotias tai epäilemme, että lapsi on vaarassa, lastensuojelulaki (25 §)
    velvoittaa meidät ilmoittamaan lastensuojeluun ja joissakin tilanteissa myös poliisille.
    Jos niin käy, kerromme sen sinulle.

rights-title = Oikeutesi
rights =
    Voit sanoa ei. Voit suostua yhteen asiaan ja kieltäytyä toisesta: esimerkiksi suostua
    esitykseen auttamisjärjestelmään mutta kieltäytyä ilmoituksesta poliisille.

    Voit muuttaa mieltäsi. Voit perua suostumuksesi milloin tahansa, ja se on yhtä helppoa kuin
    suostumuksen antaminen. Jo lähetettyä ei voi ottaa takaisin, mutta mitään ei lähetetä enää.

    Voit pyytää nähdä tiedot, joita säilytämme sinusta, ja pyytää meitä korjaamaan ne.

    Voit pyytää tulkkia; se on sinulle maksuton. Voit kysyä milloin tahansa.

    Jos mielestäsi olemme käsitelleet tietojasi väärin, voit tehdä valituksen
    tietosuojavaltuutetulle.
