## Silta's information text in Swedish: what a person is told before they consent. See en.ftl
## for how to translate it and where an organisation puts its own languages.

version = 2026-1

our-organisation = Vår organisation

title = Innan du bestämmer dig
intro =
    Du bestämmer vad som händer med det du har berättat för oss. Läs den här texten eller be att
    någon läser den för dig. Du kan ställa frågor när som helst, och du kan säga nej. Även om du
    säger nej hjälper vi dig.

assistance-system-title = Hjälpsystemet för offer för människohandel
assistance-system =
    Hjälpsystemet är en finländsk myndighet som hjälper offer för människohandel. Det sköts av
    Joutseno förläggning och verkar i hela Finland. Hjälpen är avgiftsfri.

    Beroende på din situation kan hjälpsystemet erbjuda rådgivning och handledning, social- och
    hälsovårdstjänster, krishjälp och psykiskt stöd, tolk, tryggt boende vid behov,
    mottagningspenning eller utkomststöd, rättshjälp och hjälp om du vill återvända tryggt till
    ditt hemland.

    Du behöver inte göra en polisanmälan för att få den här hjälpen. Hjälpsystemet anmäler inte
    sina klienter till polisen.

    Om du samtycker skickar vi en framställning till hjälpsystemet: ditt namn och de andra
    uppgifter du väljer, det du har berättat för oss och hur man kan nå dig på ett tryggt sätt.
    Hjälpsystemet beslutar om du blir dess klient. Du kan sluta vara klient när du vill.

police-report-title = Polisanmälan
police-report =
    Människohandel är ett brott. Om du samtycker för vi vidare det du har berättat till polisen,
    eller hjälper dig att göra en polisanmälan. Polisen inleder då en förundersökning och kan be
    dig berätta om saken i ett förhör.

    Du har rätt till ett biträde under förundersökningen och rättegången. Staten betalar ofta
    för biträdet; vi hjälper dig att ansöka.

    Det är ditt val om du gör en polisanmälan. Du får hjälp av hjälpsystemet och av oss oavsett
    om du gör en anmälan eller inte. Du kan samtycka till en framställning till hjälpsystemet och
    säga nej till polisen.

    Polisen får bara de uppgifter som du samtycker till. Uppgifter om din hälsa skickas inte till
    polisen, om du inte samtycker till det separat.

data-keeping-title = Hur vi förvarar dina uppgifter
data-keeping =
    { $organisation } sparar det du berättar och uppgifter om hjälpen du får i krypterad form på
    vår dator. Bara vår personal kan öppna dem.

    Vi sparar uppgifterna bara så länge vi behöver dem för att hjälpa dig, eller så länge lagen
    kräver. Sedan raderas de. Du kan be oss radera dem tidigare. Om du återkallar ditt samtycke
    till att vi sparar uppgifterna, går vi igenom dem och raderar det som vi inte är skyldiga att
    spara.

    Vi lämnar inte ut dina uppgifter till någon utan ditt samtycke, med ett undantag: om du är
    under 18 år, eller om vi misstänker att ett barn är i fara, är vi enligt barnskyddslagen
    (25 §) skyldiga att göra en barnskyddsanmälan och i vissa fall också en anmälan till polisen.
    Om det händer berättar vi det för dig.

rights-title = Dina rättigheter
rights =
    Du kan säga nej. Du kan samtycka till en sak och säga nej till en annan: till exempel ja till
    en framställning till hjälpsystemet och nej till polisen.

    Du kan ändra dig. Du kan återkalla ditt samtycke när som helst, och det är lika lätt som att
    ge det. Det som redan har skickats kan inte tas tillbaka, men inget mer skickas.

    Du kan be att få se de uppgifter vi har om dig och be oss rätta dem.

    Du kan be om en tolk; det kostar dig ingenting. Du kan ställa frågor när som helst.

    Om du anser att vi har behandlat dina uppgifter fel kan du klaga hos dataombudsmannen.
