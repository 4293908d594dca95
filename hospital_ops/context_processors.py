from django.conf import settings


def site(request):
    return {"HOSPITAL_NAME": settings.HOSPITAL_NAME, "HOSPITAL_TIME_ZONE": settings.HOSPITAL_TIME_ZONE}
