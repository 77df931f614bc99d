## Silta's information text in Swedish: what a person is told before they consent. See en.ftl
## for how to translate it and where an organisation puts its own languages.

version = 2026-1

# The organisation, when it has not set its name in Silta.
our-organisation = Vår organisation

title = Innan du bestämmer dig
intro =
    Du bestämmer vad som händer med det du har berättat för oss. Läs den här texten eller be att
    någon läser upp den för dig. Du kan ställa frågor när som helst, och du kan säga nej. Även
    om du säger nej hjälper vi dig ändå.

assistance-system-title = Hjälpsystemet för offer för människohandel
assistance-system =
    Hjälpsystemet är en finländsk myndighet som hjälper offer för människohandel. Det sköts av
    Joutseno förläggning, som hör till Migrationsverket (Migri). Hjälpsystemet verkar i hela
    Finland. Hjälpen kostar ingenting.

    Beroende på din situation kan hjälpsystemet erbjuda rådgivning och handledning, social- och
    hälsovårdstjänster, krishjälp och psykiskt stöd, tolk, tryggt boende vid behov,
    mottagningspenning eller utkomststöd, juridisk rådgivning och stöd om du vill återvända
    tryggt till ditt hemland.

    Du får den här hjälpen även om du inte gör en polisanmälan. Hjälpsystemet anmäler inte sina
    klienter till polisen. Du får hjälp även om du inte har rätt att vistas i Finland.
    Hjälpsystemet ger också råd i frågor om uppehållsrätt.

    Om du samtycker ber vi hjälpsystemet att ta emot dig som klient. Det kallas en
    framställning. Vi skickar ditt namn och andra uppgifter som du själv väljer, det du har
    berättat för oss och hur man kan nå dig på ett tryggt sätt. Hjälpsystemet beslutar om du tas
    emot som klient. Du kan sluta vara klient när du vill.

police-report-title = Polisanmälan
police-report =
    Människohandel är ett brott. Om du samtycker ger vi polisen det du har berättat för oss,
    eller hjälper dig att själv göra en polisanmälan. Polisen inleder då en förundersökning och
    kan be dig berätta om saken i ett förhör. När polisen vet om brottet kan polisen fortsätta
    utredningen även om du senare ändrar dig. Du kan också bli kallad att berätta om saken i
    domstol.

    Du har rätt till en advokat eller jurist som hjälper dig under förundersökningen och
    rättegången (målsägandebiträde). Ofta betalar staten för biträdet. Vi hjälper dig att ansöka
    om det. Du kan också få en stödperson.

    Det är ditt val om du gör en polisanmälan. Om du gör en anmälan eller inte påverkar inte om
    du får hjälp av hjälpsystemet och av oss. Du kan samtycka till en framställning till
    hjälpsystemet och säga nej till polisen.

    Vi ger polisen bara de uppgifter som du samtycker till. Uppgifter om din hälsa skickar vi
    inte till polisen om du inte särskilt samtycker till det.

data-keeping-title = Hur vi förvarar dina uppgifter
data-keeping =
    { $organisation } sparar det du berättar och uppgifter om den hjälp du får. Allt sparas
    krypterat på vår dator, och bara vår personal kan öppna det.

    Vi sparar uppgifterna bara så länge vi behöver dem för att hjälpa dig, eller så länge lagen
    kräver. Sedan raderas de. Du kan be oss radera dem tidigare. Om du återkallar ditt samtycke
    till att vi sparar uppgifterna, går vi igenom dem och raderar det som vi inte är skyldiga
    att spara.

    Vi lämnar inte ut dina uppgifter till någon utan ditt samtycke. Men ibland kräver lagen att
    vi berättar. Om du är under 18 år, eller om vi misstänker att ett barn är i fara, måste vi
    göra en barnskyddsanmälan och ibland också en anmälan till polisen (barnskyddslagen 25 §).
    Vi måste också anmäla till polisen om vi får veta att någon planerar ett allvarligt brott.
    Om det händer berättar vi det för dig.

rights-title = Dina rättigheter
rights =
    Du kan säga nej. Du kan samtycka till en sak och säga nej till en annan: till exempel ja
    till en framställning till hjälpsystemet och nej till polisen.

    Du kan ändra dig. Du kan återkalla ditt samtycke när som helst, och det är lika lätt som att
    ge det: det räcker att du säger det till någon av oss. Det som redan har skickats kan inte
    tas tillbaka (polisen kan till exempel fortsätta utredningen), men efter det skickar vi
    inget mer.

    Du kan be att få se de uppgifter vi har om dig och be oss rätta dem.

    Du kan be om tolk. Det kostar ingenting för dig. Du kan ställa frågor när som helst.

    Om du anser att vi har behandlat dina uppgifter fel kan du klaga hos dataombudsmannen.
